/**
 * Fisher: per-tensor importance (diagonal Fisher) of the model on its input, from a Fisher file or
 * estimated in the app on probe text. The estimate says what it is and how long it should take
 * before it is started. Its output connects only to a Fisher input (Fisher merging).
 */
import { memo, useEffect } from 'react';
import type { NodeProps } from '@xyflow/react';
import { formatBytes } from '../../../../common/contract/format-bytes.js';
import type { ProbeTextRef } from '../../../../common/contract/tasks.js';
import { FISHER_ESTIMATE_OF_STAGE, isStageNode } from '../../../../common/graph/chain.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { planFisherNode, runNodeStage } from '../../analysis/stage-commands.js';
import { useStages } from '../../analysis/stage-store.js';
import { StageStatus } from '../../analysis/StageStatus.js';
import { useProbeSettings } from '../../analysis/probe-settings.js';
import { PathField } from '../PathField.js';
import { NodeFrame } from './NodeFrame.js';
import { InputNoteLine } from './InputNoteLine.js';
import { InputPort, OutputPort } from './PortHandle.js';

function duration(s: number): string {
  if (s < 1) return 'under a second';
  if (s < 90) return `about ${Math.round(s)} s`;
  if (s < 5400) return `about ${Math.round(s / 60)} min`;
  return `about ${(s / 3600).toFixed(1)} h`;
}

/** Roughly where one backward pass per window stops being practical on a CPU (issue 6). */
const PRACTICAL_PARAMETERS = 100e6;

function count(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

const CPU_NOTE = 'One forward and backward pass per window, on the CPU: practical up to roughly 100M parameters. The time below is estimated first; nothing starts until you press Estimate.';

const ESTIMATOR_NOTE =
  'Estimated here: the empirical Fisher, the mean over probe windows of the squared gradient of each window’s next-token log-likelihood. It measures importance on the probe text, not on your training data: a Fisher file computed on that data is better when you have one.';

function FisherNodeImpl({ id, data }: NodeProps<FlowNode>) {
  const modelEdge = useEditor((s) => s.edges.find((e) => e.target === id && e.targetHandle === 'model')?.source ?? '');
  const modelPath = useEditor((s) => {
    const n = s.nodes.find((x) => x.id === modelEdge);
    return n?.data.kind === 'model' ? n.data.path : n?.data.kind === 'align' ? n.data.folder : '';
  });
  // An earlier merge's result: its Fisher is a file (chain.ts says why an estimate cannot be).
  const fromStage = useEditor((s) => isStageNode(s.nodes.find((x) => x.id === modelEdge)?.data));
  const plan = useStages((s) => s.nodes[id]?.plan ?? null);
  const planError = useStages((s) => s.nodes[id]?.planError ?? null);
  const busy = useStages((s) => s.nodes[id]?.status === 'queued' || s.nodes[id]?.status === 'running');
  // Another project opened (even one with a node of this id and settings): its plan is asked again.
  const stagesEpoch = useStages((s) => s.epoch);
  const bundled = useProbeSettings((s) => s.bundled);
  const estimate = data.kind === 'fisher' && data.source === 'estimate';
  const textsKey = data.kind === 'fisher' ? JSON.stringify(data.texts) : '';
  const file = data.kind === 'fisher' ? data.file : '';
  const window = data.kind === 'fisher' ? data.window : undefined;
  useEffect(() => {
    void useProbeSettings.getState().loadBundled().catch(() => undefined);
  }, []);
  // Estimate the work first, whenever what it depends on changes.
  useEffect(() => {
    if (!estimate || !modelPath) return;
    const t = setTimeout(() => void planFisherNode(id), 300);
    return () => clearTimeout(t);
  }, [id, estimate, modelPath, file, textsKey, window, stagesEpoch]);
  if (data.kind !== 'fisher') return null;
  const update = (patch: Parameters<ReturnType<typeof useEditor.getState>['updateData']>[1], key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  const toggle = (r: ProbeTextRef, on: boolean) => {
    const same = (t: ProbeTextRef) => t.kind === r.kind && JSON.stringify(t) === JSON.stringify(r);
    const texts = on ? [...data.texts.filter((t) => !same(t)), r] : data.texts.filter((t) => !same(t));
    update({ texts }, 'texts');
  };
  return (
    <NodeFrame id={id} title="Fisher" kind="fisher" subtitle="importance per weight">
      <InputPort id="model" label="Model" accepts={['weights']} />
      <label className="field">
        From
        <select className="nodrag" aria-label="Fisher source" value={data.source} onChange={(e) => update({ source: e.target.value as 'file' | 'estimate' }, 'source')}>
          <option value="file">a Fisher file</option>
          <option value="estimate">an estimate on probe text</option>
        </select>
      </label>
      <PathField
        label={estimate ? 'Estimated Fisher file' : 'Fisher file'}
        value={data.file}
        placeholder={estimate ? '/path/to/write fisher.safetensors' : '/path/to/fisher.safetensors'}
        onCommit={(f) => update({ file: f }, 'file')}
      />
      <InputNoteLine id={id} path={data.file} pointAt="the file" />
      {estimate && (
        <>
          <p className="fisher-note">{ESTIMATOR_NOTE}</p>
          <p className="fisher-note" aria-label="Fisher estimate cost">
            {CPU_NOTE}
          </p>
          <div className="probe-text-list">
            {(bundled ?? []).map((b) => {
              const r: ProbeTextRef = { kind: 'bundled', name: b.name };
              return (
                <label key={b.name}>
                  <input
                    type="checkbox"
                    className="nodrag"
                    aria-label={`Fisher probe text ${b.name}`}
                    checked={data.texts.some((t) => t.kind === 'bundled' && t.name === b.name)}
                    onChange={(e) => toggle(r, e.target.checked)}
                  />{' '}
                  {b.name}
                </label>
              );
            })}
          </div>
          <div className="fisher-plan" role="status" aria-label="Fisher estimate plan">
            {fromStage
              ? FISHER_ESTIMATE_OF_STAGE
              : !modelPath
              ? 'Connect a model to estimate its Fisher.'
              : planError
                ? `Cannot estimate: ${planError}`
                : plan
                  ? `${plan.windows} windows of probe text (${plan.tokens} tokens) · ${count(plan.parameters)} parameters · ${duration(plan.seconds)} on this machine · ${formatBytes(plan.memoryBytes)} of memory`
                  : 'Estimating the time…'}
            {plan && plan.parameters > PRACTICAL_PARAMETERS && ` · beyond the roughly ${count(PRACTICAL_PARAMETERS)} parameters that are practical on a CPU`}
            {plan?.existing && ` · the file already holds this Fisher (${plan.existing.count} windows): it is reused`}
          </div>
          <div className="node-actions">
            <button className="nodrag" disabled={busy || !plan} onClick={() => void runNodeStage(id, !!plan?.existing)}>
              {plan?.existing ? 'Estimate again' : 'Estimate Fisher'}
            </button>
          </div>
          <StageStatus nodeId={id} doneText="Fisher written" />
        </>
      )}
      <OutputPort id="fisher" label="Fisher information" gives="fisher" />
    </NodeFrame>
  );
}

export const FisherNode = memo(FisherNodeImpl);
