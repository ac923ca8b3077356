/**
 * Align (Git Re-Basin weight matching): B permuted to match A, written to a folder the merge then
 * reads. Shows, per permutation group, the matching objective before and after and the units
 * moved; runs the barrier preview A → B before and after alignment side by side.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { AlignTaskResult } from '../../../../common/contract/tasks.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { alignBarriers, runNodeStage } from '../../analysis/stage-commands.js';
import { useStages } from '../../analysis/stage-store.js';
import { StageStatus } from '../../analysis/StageStatus.js';
import { PathField } from '../PathField.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort, OutputPort } from './PortHandle.js';

function num(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(3) : v.toFixed(3);
}

function Groups({ r }: { r: AlignTaskResult }) {
  return (
    <details className="align-groups nodrag" open={r.groups.length <= 12}>
      <summary>
        Σ⟨A, B⟩ {num(r.initialObjective)} → {num(r.objective)} · {r.converged ? 'converged' : 'stopped'} after {r.sweeps} sweep{r.sweeps === 1 ? '' : 's'}
      </summary>
      <table aria-label="Alignment per group">
        <thead>
          <tr>
            <th>Group</th>
            <th>Before</th>
            <th>After</th>
            <th>Moved</th>
          </tr>
        </thead>
        <tbody>
          {r.groups.map((g) => (
            <tr key={g.id}>
              <td>{g.id}</td>
              <td>{num(g.before)}</td>
              <td>{num(g.after)}</td>
              <td>
                {g.moved}/{g.units}
                {g.kind === 'heads' ? ` heads, ${g.kvMoved ?? 0}/${g.kvUnits ?? 0} KV` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function AlignNodeImpl({ id, data }: NodeProps<FlowNode>) {
  const result = useStages((s) => {
    const r = s.nodes[id]?.result;
    return r?.kind === 'align' ? r : null;
  });
  const busy = useStages((s) => s.nodes[id]?.status === 'queued' || s.nodes[id]?.status === 'running');
  if (data.kind !== 'align') return null;
  const update = (patch: Parameters<ReturnType<typeof useEditor.getState>['updateData']>[1], key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  return (
    <NodeFrame id={id} title="Align" kind="align" subtitle="Git Re-Basin">
      <InputPort id="reference" label="Reference (A)" accepts={['weights']} />
      <InputPort id="model" label="Model to permute (B)" accepts={['weights']} />
      <PathField label="Aligned model folder" value={data.folder} placeholder="/path/to/aligned B" onCommit={(folder) => update({ folder }, 'folder')} />
      <label className="field">
        Seed
        <input
          type="number"
          className="nodrag"
          aria-label="Alignment seed"
          min={0}
          step={1}
          value={data.seed}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) update({ seed: v }, 'seed');
          }}
        />
      </label>
      <label className="field">
        Max sweeps
        <input
          type="number"
          className="nodrag"
          aria-label="Max sweeps"
          min={1}
          step={1}
          value={data.maxSweeps}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isInteger(v) && v >= 1 && v <= 100_000) update({ maxSweeps: v }, 'sweeps');
          }}
        />
      </label>
      <div className="node-actions">
        <button className="nodrag" disabled={busy} onClick={() => void runNodeStage(id)}>
          Align
        </button>
        <button className="nodrag" disabled={busy} title="Barrier preview A → B before and after alignment, side by side" onClick={() => void alignBarriers(id)}>
          Barrier before/after
        </button>
      </div>
      <StageStatus nodeId={id} doneText="B aligned to A" />
      {result && <Groups r={result} />}
      <OutputPort id="weights" label="B aligned to A" gives="weights" />
    </NodeFrame>
  );
}

export const AlignNode = memo(AlignNodeImpl);
