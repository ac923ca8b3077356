/**
 * The live diagnostics heatmap (issue 5): layers as rows, metrics as columns (cosine, sign
 * conflict, fraction kept by trimming or dropping, norm ratio, norm sag, NaN/Inf), filling as the run's diagnostics events arrive; the
 * value, tensor count and extreme tensors of a cell are shown on hover.
 */
import { memo, useMemo, useState } from 'react';
import type { TensorGroup } from '../../../common/contract/checkpoint.js';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../state/editor-store.js';
import { modelInputsOf } from '../state/model-inputs.js';
import { useRun } from '../state/run-store.js';
import { aggregateDiagnostics, hoverText, metricColor, METRICS, rowKey } from './diagnostics-aggregate.js';
import { useDiagnostics } from './diagnostics-store.js';

const EMPTY: never[] = [];

const GROUPS: { value: '' | TensorGroup; label: string }[] = [
  { value: '', label: 'All tensors' },
  { value: 'attention', label: 'Attention' },
  { value: 'mlp', label: 'MLP' },
  { value: 'norm', label: 'Norms' },
  { value: 'embedding', label: 'Embeddings' },
];

function DiagnosticsHeatmapImpl() {
  const jobId = useRun((s) => s.jobId);
  const status = useRun((s) => s.status);
  const layerCount = useRun((s) => s.preflight?.layerCount ?? 0);
  const mergeNodeId = useRun((s) => s.mergeNodeId);
  // The merge node's inputs in edge order: the recipe's model order when each input is one model (else "model i").
  const inputs = useEditor(useShallow((s) => (mergeNodeId ? modelInputsOf(s, mergeNodeId) : EMPTY)));
  const modelNames = useMemo(() => inputs.map((e) => e.split('\u0000')[1] ?? e), [inputs]);
  const records = useDiagnostics((s) => (jobId ? (s.byJob[jobId] ?? EMPTY) : EMPTY));
  const enabled = useDiagnostics((s) => s.enabled);
  const [group, setGroup] = useState<'' | TensorGroup>('');
  const [hover, setHover] = useState<string | null>(null);
  const rows = useMemo(() => aggregateDiagnostics(records, layerCount, group || undefined), [records, layerCount, group]);
  const measured = records.length;
  const trims = useMemo(() => records.some((r) => r.stats.taskKept !== null), [records]);

  return (
    <div className="diagnostics">
      <div className="analysis-controls">
        <label className="field-check">
          <input type="checkbox" checked={enabled} onChange={(e) => useDiagnostics.getState().setEnabled(e.target.checked)} /> Measure during runs
        </label>
        <select aria-label="Tensor group" value={group} onChange={(e) => setGroup(e.target.value as '' | TensorGroup)}>
          {GROUPS.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <p className="muted analysis-note" aria-label="Diagnostics status">
        {!jobId
          ? 'Run a merge: its task vectors are measured tensor by tensor as it runs.'
          : measured === 0
            ? status === 'running' || status === 'queued' || status === 'checking'
              ? 'Waiting for the first measured tensor…'
              : 'No diagnostics for this run (turned off, or the method writes none).'
            : `${measured} tensor${measured === 1 ? '' : 's'} measured${status === 'running' ? ' so far' : ''}.`}
      </p>
      {jobId && (
        <table className="heatmap" aria-label="Diagnostics heatmap" onMouseLeave={() => setHover(null)}>
          <thead>
            <tr>
              <th scope="col">Layer</th>
              {METRICS.map((m) => (
                <th key={m.key} scope="col" title={m.hint}>
                  {m.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={rowKey(r.layer)}>
                <th scope="row">{r.layer === null ? '·' : r.layer}</th>
                {METRICS.map((m) => {
                  const c = r.cells[m.key];
                  const text = hoverText(r, m, modelNames);
                  return (
                    <td
                      key={m.key}
                      className={`heat-cell ${c.count ? 'filled' : 'empty'}`}
                      style={{ background: metricColor(m.key, c.value) }}
                      title={text}
                      aria-label={text}
                      onMouseEnter={() => setHover(text)}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {jobId && (
        <div className="heat-readout" role="status" aria-label="Heatmap value">
          {hover ?? 'Hover a cell for its value.'}
        </div>
      )}
      {jobId && trims && (
        <p className="muted analysis-note" aria-label="Kept explained">
          Kept: of each input model&apos;s non-zero task-vector coordinates (its difference from the base), the share that survives this
          method&apos;s trimming (TIES, breadcrumbs: by magnitude) or dropping (DARE, DELLA: at random; sce: by variance across models);
          the rest do not enter the merge. Trimming keeps a density&apos;s share of all coordinates, zeros last: a task vector with fewer
          non-zero coordinates than that keeps them all (100%). Hover a cell for each model&apos;s share.
        </p>
      )}
    </div>
  );
}

export const DiagnosticsHeatmap = memo(DiagnosticsHeatmapImpl);
