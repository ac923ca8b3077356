/**
 * The barrier preview panel: what to move (a slider of the node, or the A→B line), the probe
 * texts and K, then one card per shown run (two side by side): the chart filling point by point,
 * progress and Cancel, each text's barrier and their mean, and the slider moved to the lowest point.
 */
import { useMemo, useState } from 'react';
import { previewTargets, targetKey } from '../../../common/graph/preview-target.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import { useEditor } from '../state/editor-store.js';
import { cancelBarrier, previewBarrier, setSliderTo } from './barrier-commands.js';
import { curveData, lowestPoint, useBarrier, type BarrierRun } from './barrier-store.js';
import { BarrierChart, fmtLoss, fmtValue, TEXT_COLORS } from './BarrierChart.js';
import { ProbeTextPicker } from './ProbeTextPicker.js';
import { streamProgress } from './stream-progress.js';
import { CheckSection } from './CheckSection.js';

function statusText(r: BarrierRun, done: number): string {
  switch (r.status) {
    case 'starting':
      return 'Starting…';
    case 'queued':
      return 'Queued behind another probe…';
    case 'running': {
      const p = streamProgress(r.progress);
      return `Computing: ${done} of ${r.points} points · ${p ? p.text : 'reading the inputs'}`;
    }
    case 'done':
      return `Done: ${r.points} points${r.result?.cached ? ' (from the cache)' : ''}.`;
    case 'failed':
      return `Failed: ${r.error ?? 'unknown error'}`;
    case 'cancelled':
      return 'Cancelled.';
  }
}

function RunCard({ run }: { run: BarrierRun }) {
  const data = useMemo(() => curveData(run), [run]);
  const done = data.mean.filter((v) => v !== null).length;
  const active = run.status === 'starting' || run.status === 'queued' || run.status === 'running';
  const slider = run.target.kind === 'slider' ? run.target : null;
  const lowest = lowestPoint(data);
  const lowestValue = lowest !== null ? data.values[lowest] : null;
  const xLabel = slider ? slider.label : 'λ';
  const pick = slider
    ? (j: number) => {
        const v = data.values[j];
        if (v !== null) setSliderTo(run, v);
      }
    : undefined;
  return (
    <section className="barrier-card" aria-label={`Barrier preview ${run.title}`}>
      <h3>{run.title}</h3>
      <div className="barrier-status">
        <span role="status" aria-label="Barrier status">
          {statusText(run, done)}
        </span>
        {active && <button onClick={() => void cancelBarrier(run.id)}>Cancel</button>}
      </div>
      <BarrierChart data={data} xLabel={xLabel} onPick={pick} title={run.title} progress={run.status === 'running' ? streamProgress(run.progress) : null} />
      <table className="barrier-table">
        <thead>
          <tr>
            <th>Text</th>
            <th>Endpoints (nats)</th>
            <th>Barrier</th>
          </tr>
        </thead>
        <tbody>
          {data.texts.length > 1 &&
            data.texts.map((t, i) => (
              <tr key={t.name}>
                <td>
                  <span className="swatch" style={{ background: TEXT_COLORS[i % TEXT_COLORS.length] }} /> {t.name}
                </td>
                <td>
                  {fmtLoss(t.losses[0])} → {fmtLoss(t.losses[t.losses.length - 1])}
                </td>
                <td>{fmtLoss(t.barrier)}</td>
              </tr>
            ))}
          <tr className="mean-row">
            <td>{data.texts.length > 1 ? 'Mean' : (data.texts[0]?.name ?? 'Mean')}</td>
            <td>
              {fmtLoss(data.mean[0])} → {fmtLoss(data.mean[data.mean.length - 1])}
            </td>
            <td>{fmtLoss(data.barrier)}</td>
          </tr>
        </tbody>
      </table>
      {run.status === 'done' && (
        <p className="barrier-height" aria-label="Barrier height">
          Barrier height: {fmtLoss(data.barrier)} nats{data.texts.length > 1 ? ` (mean of ${data.texts.length} texts)` : ''}
        </p>
      )}
      {slider && lowest !== null && lowestValue !== null && (
        <button className="primary" disabled={active} onClick={() => setSliderTo(run, lowestValue)}>
          Move slider to the lowest point ({slider.label} = {fmtValue(lowestValue)})
        </button>
      )}
      {run.result && run.result.warnings.length > 0 && (
        <details>
          <summary>{run.result.warnings.length} warning(s)</summary>
          <ul>
            {run.result.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function BarrierPanel() {
  const shown = useBarrier((s) => s.shown);
  const runs = useBarrier((s) => s.runs);
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const selectedMerge = nodes.find((n) => n.selected && n.data.kind === 'merge');
  const lastNode = shown.length ? runs[shown[shown.length - 1]]?.nodeId : undefined;
  const node = selectedMerge ?? nodes.find((n) => n.id === lastNode && n.data.kind === 'merge') ?? nodes.find((n) => n.data.kind === 'merge');
  const targets = useMemo(() => (node ? previewTargets({ nodes, edges }, node.id) : []), [node, nodes, edges]);
  const [chosen, setChosen] = useState<string>('');
  const target = targets.find((t) => targetKey(t) === chosen) ?? targets[0];
  const shownRuns = shown.map((id) => runs[id]).filter((r): r is BarrierRun => !!r);

  return (
    <div className={`barrier-panel ${shownRuns.length > 1 ? 'side-by-side' : ''}`}>
      {node ? (
        <div className="analysis-controls">
          <span>
            Node: <strong>{nodeLabel(node.data)}</strong>
          </span>
          <select aria-label="Preview along" value={target ? targetKey(target) : ''} onChange={(e) => setChosen(e.target.value)}>
            {targets.map((t) => (
              <option key={targetKey(t)} value={targetKey(t)}>
                {t.label}
              </option>
            ))}
          </select>
          <button className="primary" disabled={!target} onClick={() => previewBarrier(node.id, target)}>
            Preview
          </button>
        </div>
      ) : (
        <p className="muted analysis-note">Add a merge node to preview its barrier.</p>
      )}
      <ProbeTextPicker showPoints />
      <div className="barrier-cards">
        {shownRuns.map((r) => (
          <RunCard key={r.id} run={r} />
        ))}
      </div>
      {shownRuns.length === 0 && <p className="muted analysis-note">Use “Preview barrier” on a merge node, or the ⌇ button beside any of its sliders.</p>}
      <CheckSection />
    </div>
  );
}
