/** The analysis dock at the right edge: a tab strip that opens the live diagnostics heatmap, the barrier preview or the sweep. */
import './analysis.css';
import { useAnalysisUi, type AnalysisTab } from './analysis-ui.js';
import { DiagnosticsHeatmap } from './DiagnosticsHeatmap.js';
import { BarrierPanel } from './BarrierPanel.js';
import { SweepPanel } from './SweepPanel.js';
import { useBarrier } from './barrier-store.js';

const TABS: { id: AnalysisTab; label: string }[] = [
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'barrier', label: 'Barrier' },
  { id: 'sweep', label: 'Sweep' },
];

const TITLES: Record<AnalysisTab, string> = {
  diagnostics: 'Merge diagnostics',
  barrier: 'Barrier preview',
  sweep: 'Sweep',
};

export function AnalysisDock() {
  const tab = useAnalysisUi((s) => s.tab);
  const sideBySide = useBarrier((s) => s.shown.length > 1);
  const wide = tab === 'barrier' && sideBySide;
  return (
    <>
      {tab && (
        <aside className={`analysis-panel${wide ? ' wide' : ''}`} aria-label={TITLES[tab]}>
          <div className="analysis-head">
            <h2>{TITLES[tab]}</h2>
            <button aria-label="Close analysis panel" onClick={() => useAnalysisUi.getState().close()}>
              ×
            </button>
          </div>
          {tab === 'diagnostics' && <DiagnosticsHeatmap />}
          {tab === 'barrier' && <BarrierPanel />}
          {tab === 'sweep' && <SweepPanel />}
        </aside>
      )}
      <nav className="analysis-tabs" aria-label="Analysis">
        {TABS.map((t) => (
          <button key={t.id} aria-pressed={tab === t.id} onClick={() => useAnalysisUi.getState().toggle(t.id)}>
            {t.label}
          </button>
        ))}
      </nav>
    </>
  );
}
