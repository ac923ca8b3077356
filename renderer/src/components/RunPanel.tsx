/**
 * Run: pre-flight numbers, the layer grid, progress, throughput, ETA, Cancel; then the summary.
 * Collapsed (its "Run details" button, View → Run panel), only the header line shows: Run, Cancel and
 * the run's state, with the percentage while it runs.
 */
import { formatBytes } from '../../../common/contract/format-bytes.js';
import { cancelRun, revealOutput, startRun } from '../commands/run-commands.js';
import { runAdvance, runStatusText } from '../state/run-headline.js';
import { useRun } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';
import { LayerGrid } from './LayerGrid.js';

function seconds(s: number): string {
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 90) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function RunPanel() {
  const status = useRun((s) => s.status);
  const message = useRun((s) => s.message);
  const pf = useRun((s) => s.preflight);
  const progress = useRun((s) => s.progress);
  const tensorsDone = useRun((s) => s.tensorsDone);
  const stage = useRun((s) => s.stage);
  const collapsed = useUi((s) => s.runPanelCollapsed);
  const active = status === 'checking' || status === 'queued' || status === 'running';
  const { percent } = runAdvance({ status, progress, preflight: pf, tensorsDone });

  return (
    <section className={`run-panel${collapsed ? ' collapsed' : ''}`} aria-label="Run">
      <div className="run-controls">
        <button className="primary" onClick={() => void startRun()} disabled={active}>
          Run
        </button>
        <button onClick={() => void cancelRun()} disabled={!active || status === 'checking'}>
          Cancel
        </button>
        <span className={`run-status status-${status}`} role="status" aria-label="Run status">
          {runStatusText(status, collapsed ? percent : undefined)}
        </span>
        {stage && (active || status === 'failed' || status === 'cancelled') && (
          <span className="run-stage" role="status" aria-label="Chain stage">
            Stage {stage.index} of {stage.count}
            {stage.name === null ? ' (final merge)' : `: ${stage.name}`}
          </span>
        )}
        {message && (status === 'failed' || status === 'cancelled') && <span className="run-message">{message}</span>}
        <button
          className="run-panel-toggle"
          aria-expanded={!collapsed}
          aria-controls="run-details"
          title={collapsed ? 'Show the pre-flight, progress, layer grid and summary (View → Run panel)' : 'Collapse the run panel to this line (View → Run panel)'}
          onClick={() => useUi.getState().toggleRunPanel()}
        >
          <span aria-hidden>{collapsed ? '▸' : '▾'}</span> Run details
        </button>
      </div>
      <div id="run-details" className="run-details" hidden={collapsed}>
        {!collapsed && <RunDetails />}
      </div>
    </section>
  );
}

/** Below the header line: pre-flight numbers, progress, the layer grid, the summary and warnings. */
function RunDetails() {
  const status = useRun((s) => s.status);
  const pf = useRun((s) => s.preflight);
  const progress = useRun((s) => s.progress);
  const tensorsDone = useRun((s) => s.tensorsDone);
  const result = useRun((s) => s.result);
  const warnings = useRun((s) => s.warnings);
  const active = status === 'checking' || status === 'queued' || status === 'running';
  const { done, total, percent: pct } = runAdvance({ status, progress, preflight: pf, tensorsDone });
  return (
    <>
      {pf && (
        <div className="preflight" aria-label="Pre-flight">
          <span>{pf.tensors} tensors</span>
          <span>read {formatBytes(pf.bytesToRead)}</span>
          <span>write {formatBytes(pf.bytesToWrite)}</span>
          <span>memory budget {formatBytes(pf.memoryBudget)}</span>
          <span>{formatBytes(pf.freeDisk)} free on disk</span>
        </div>
      )}
      {(active || status === 'done' || status === 'cancelled' || (status === 'failed' && pf)) && pf && (
        <div className="progress-row">
          {/* The fill is the bar's background: a paint-only change (a child growing in width made Chromium
              re-layerize the whole canvas, ~20 ms, every frame of a run). */}
          <div
            className="progress-bar"
            role="progressbar"
            aria-label="Overall progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            style={{ ['--progress' as string]: `${pct}%` }}
          />
          <span className="progress-text">{pct}%</span>
          <span className="progress-detail">
            {done}/{total} tensors
          </span>
          {progress && status === 'running' && (
            <>
              <span>{formatBytes(progress.bytesPerSecond)}/s</span>
              <span>ETA {progress.etaSeconds === null ? '—' : seconds(progress.etaSeconds)}</span>
            </>
          )}
        </div>
      )}
      <LayerGrid />
      {status === 'done' && result && (
        <div className="run-summary" aria-label="Summary">
          <div>
            Output: <code>{result.out}</code>{' '}
            <button onClick={() => void revealOutput(result.out)}>Open folder</button>
          </div>
          <div>
            {result.tensors} tensors written · {result.dtype ?? 'mixed dtypes'} · {formatBytes(result.bytes)} · {seconds(result.seconds)}
          </div>
        </div>
      )}
      {warnings.length > 0 && (
        <details className="run-warnings">
          <summary>{warnings.length} warning{warnings.length === 1 ? '' : 's'}</summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
