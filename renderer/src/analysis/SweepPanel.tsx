/**
 * The sweep panel (issue 5): a grid over one or two sliders of a merge node (for example λ ×
 * density), every cell scored by probe loss on the chosen texts; a heatmap and a table filling as
 * cells arrive, the best cell marked; clicking a cell sets the node to it.
 */
import { useMemo, useState } from 'react';
import { getMethod } from '../../../common/methods/registry.js';
import type { NumberParam } from '../../../common/methods/types.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import { previewTargets, targetKey, type SliderTarget } from '../../../common/graph/preview-target.js';
import { useEditor } from '../state/editor-store.js';
import { fmtLoss, fmtValue } from './BarrierChart.js';
import { ProbeTextPicker } from './ProbeTextPicker.js';
import { applyCell, cancelSweep, sameSlider, startSweep, type AxisChoice } from './sweep-commands.js';
import { sweepCells, sweepRefusals, useSweep, type SweepRun } from './sweep-store.js';
import { sweepRange } from './sweep-range.js';
import { streamProgress } from './stream-progress.js';

interface AxisForm {
  key: string;
  lo: string;
  hi: string;
  count: string;
}

function heat(v: number | null, lo: number, hi: number): string {
  if (v === null) return '#f3f4f7';
  const t = hi > lo ? (v - lo) / (hi - lo) : 0;
  // Low loss: deep green; high: pale.
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(43, 240)}, ${mix(138, 244)}, ${mix(62, 232)})`;
}

function Results({ run }: { run: SweepRun }) {
  const { cells, best } = useMemo(() => sweepCells(run), [run]);
  const refusals = useMemo(() => sweepRefusals(run, cells, fmtValue), [run, cells]);
  const means = cells.map((c) => c?.mean ?? null).filter((v): v is number => v !== null);
  const lo = means.length ? Math.min(...means) : 0;
  const hi = means.length ? Math.max(...means) : 1;
  const [a, b] = run.axes;
  const cols = b ? b.values : [null];
  const done = cells.filter((c) => c !== null).length;
  const active = run.status === 'starting' || run.status === 'queued' || run.status === 'running';
  const set = (values: number[]) => applyCell(run, values);
  const cellLabel = (vals: number[]) => run.axes.map((ax, i) => `${ax.label} = ${fmtValue(vals[i])}`).join(', ');
  return (
    <section className="sweep-results" aria-label={`Sweep ${run.title}`}>
      <h3>{run.title}</h3>
      <div className="barrier-status">
        <span role="status" aria-label="Sweep status">
          {run.status === 'done' && `Done: ${cells.length} cells${run.result?.cached ? ' (from the cache)' : ''}.`}
          {run.status === 'running' && `Computing: ${done} of ${cells.length} cells${run.progress ? ` · ${streamProgress(run.progress)!.text}` : ''}`}
          {(run.status === 'starting' || run.status === 'queued') && 'Queued…'}
          {run.status === 'failed' && `Failed: ${run.error}`}
          {run.status === 'cancelled' && 'Cancelled.'}
        </span>
        {active && <button onClick={() => void cancelSweep()}>Cancel</button>}
      </div>
      <table className="sweep-heatmap" aria-label="Sweep heatmap">
        <thead>
          <tr>
            <th scope="col">{b ? `${a.label} \\ ${b.label}` : a.label}</th>
            {cols.map((v, j) => (
              <th key={j} scope="col">
                {v === null ? 'loss' : fmtValue(v)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {a.values.map((va, i) => (
            <tr key={i}>
              <th scope="row">{fmtValue(va)}</th>
              {cols.map((_, j) => {
                const k = i * cols.length + j;
                const c = cells[k];
                const vals = b ? [va, b.values[j]] : [va];
                const label = `${cellLabel(vals)}: ${c ? (c.error ? c.error : `${fmtLoss(c.mean)} nats`) : 'not computed yet'}${k === best ? ' (best)' : ''}`;
                return (
                  <td
                    key={j}
                    className={`sweep-cell${k === best ? ' best' : ''}${c?.error ? ' refused' : ''}`}
                    style={{ background: c?.error ? undefined : heat(c?.mean ?? null, lo, hi) }}
                    title={`${label}. Click to set the node here.`}
                    aria-label={label}
                    role="button"
                    onClick={() => set(vals)}
                  >
                    {c ? (c.error ? '✕' : (c.mean ?? NaN).toFixed(4)) : ''}
                    {k === best && <span className="best-mark"> ★</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {refusals.length > 0 && (
        // Why cells are refused, once per reason (a row or column refused for one reason is one line), not only in each ✕ cell's tooltip.
        <ul className="sweep-refusals" aria-label="Refused cells">
          {refusals.map((f) => (
            <li key={f.reason}>
              <strong>{f.where}</strong> refused: {f.reason}
            </li>
          ))}
        </ul>
      )}
      <table className="barrier-table sweep-table" aria-label="Sweep table">
        <thead>
          <tr>
            {run.axes.map((ax) => (
              <th key={ax.label}>{ax.label}</th>
            ))}
            {run.textNames.length > 1 && run.textNames.map((t) => <th key={t}>{t}</th>)}
            <th>{run.textNames.length > 1 ? 'Mean' : `Loss (${run.textNames[0]})`}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {cells.map((c, k) =>
            c ? (
              <tr key={k} className={k === best ? 'best' : undefined}>
                {c.values.map((v, i) => (
                  <td key={i}>{fmtValue(v)}</td>
                ))}
                {run.textNames.length > 1 && c.losses.map((l, t) => <td key={t}>{fmtLoss(l)}</td>)}
                <td>{c.error ? <span title={c.error}>refused</span> : fmtLoss(c.mean)}</td>
                <td>
                  {k === best && <strong>best </strong>}
                  <button className="link" onClick={() => set(c.values)}>
                    set
                  </button>
                </td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
    </section>
  );
}

export function SweepPanel() {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const run = useSweep((s) => s.run);
  const selected = nodes.find((n) => n.selected && n.data.kind === 'merge');
  const node = selected ?? nodes.find((n) => n.id === run?.nodeId && n.data.kind === 'merge') ?? nodes.find((n) => n.data.kind === 'merge');
  const sliders = useMemo(() => (node ? previewTargets({ nodes, edges }, node.id).filter((t): t is SliderTarget => t.kind === 'slider') : []), [node, nodes, edges]);
  const [forms, setForms] = useState<AxisForm[]>([
    { key: '', lo: '', hi: '', count: '5' },
    { key: '', lo: '', hi: '', count: '3' },
  ]);
  const data = node?.data.kind === 'merge' ? node.data : undefined;
  const method = data ? getMethod(data.method) : undefined;
  const rangeOf = (t: SliderTarget | undefined) => {
    const p = method?.params.find((q): q is NumberParam => q.name === t?.param && q.type === 'number');
    if (!p || !t) return { min: 0, max: 1 };
    return sweepRange(method, p, t.sourceId ? data?.modelParams[t.sourceId] : data?.params);
  };
  const targetOf = (i: number): SliderTarget | undefined => {
    const f = forms[i];
    if (i === 1 && f.key === '') return undefined;
    return sliders.find((s) => targetKey(s) === f.key) ?? (i === 0 ? sliders[0] : undefined);
  };
  const update = (i: number, patch: Partial<AxisForm>) => setForms(forms.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const choose = (i: number, key: string) => {
    const t = sliders.find((s) => targetKey(s) === key);
    const r = rangeOf(t);
    update(i, { key, lo: t ? fmtValue(r.min) : '', hi: t ? fmtValue(r.max) : '' });
  };
  const choices = (): AxisChoice[] =>
    [0, 1].flatMap((i) => {
      const t = targetOf(i);
      if (!t) return [];
      const r = rangeOf(t);
      const f = forms[i];
      return [{ target: t, lo: f.lo === '' ? r.min : Number(f.lo), hi: f.hi === '' ? r.max : Number(f.hi), count: Math.round(Number(f.count)) }];
    });
  const active = run && (run.status === 'starting' || run.status === 'queued' || run.status === 'running');
  const first = targetOf(0);
  const second = targetOf(1);
  // The same slider on both axes is no grid: said here, with Run disabled, rather than refused after the click.
  const sameAxes = !!first && !!second && sameSlider(first, second);

  return (
    <div className="sweep-panel">
      {node ? (
        <>
          <p className="analysis-note">
            Node: <strong>{nodeLabel(node.data)}</strong>
          </p>
          {[0, 1].map((i) => {
            const t = targetOf(i);
            const r = rangeOf(t);
            return (
              <div key={i} className="analysis-controls sweep-axis">
                <select aria-label={`Sweep axis ${i + 1}`} value={t ? targetKey(t) : ''} onChange={(e) => choose(i, e.target.value)}>
                  {i === 1 && <option value="">— no second axis —</option>}
                  {sliders.map((s) => (
                    <option key={targetKey(s)} value={targetKey(s)}>
                      {s.label}
                    </option>
                  ))}
                </select>
                {t && (
                  <>
                    <input aria-label={`Axis ${i + 1} from`} type="number" step="any" placeholder={fmtValue(r.min)} value={forms[i].lo} onChange={(e) => update(i, { lo: e.target.value })} />
                    to
                    <input aria-label={`Axis ${i + 1} to`} type="number" step="any" placeholder={fmtValue(r.max)} value={forms[i].hi} onChange={(e) => update(i, { hi: e.target.value })} />
                    <input aria-label={`Axis ${i + 1} values`} type="number" min={1} max={64} value={forms[i].count} onChange={(e) => update(i, { count: e.target.value })} /> values
                  </>
                )}
              </div>
            );
          })}
          {sameAxes && (
            <p className="analysis-note sweep-problem" role="alert">
              Both axes are {first.label}: choose another slider for axis 2, or no second axis.
            </p>
          )}
          <ProbeTextPicker />
          <div className="analysis-controls">
            <button className="primary" disabled={!!active || sliders.length === 0 || sameAxes} onClick={() => startSweep(node.id, choices())}>
              Run sweep
            </button>
          </div>
        </>
      ) : (
        <p className="muted analysis-note">Add a merge node to sweep its sliders.</p>
      )}
      {run && <Results run={run} />}
    </div>
  );
}
