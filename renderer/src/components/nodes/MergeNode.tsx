/** One merge method: inputs, global parameters, and per-model parameters for each connected model. */
import { memo, useCallback } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { getMethod, METHODS } from '../../../../common/methods/registry.js';
import type { MethodId, ParamDescriptor, ParamSpec } from '../../../../common/methods/types.js';
import { portsOf } from '../../../../common/graph/ports.js';
import { edgesInto, nodeById, type GraphLike } from '../../../../common/graph/graph-like.js';
import { hasImpliedWeight, IMPLIED_WEIGHT } from '../../../../common/graph/implied-weight.js';
import { listedBaseEdge } from '../../../../common/graph/listed-base.js';
import { useEditor } from '../../state/editor-store.js';
import { modelInputsOf } from '../../state/model-inputs.js';
import type { FlowNode } from '../../state/flow-types.js';
import { useUi } from '../../state/ui-store.js';
import { ParamControl } from '../params/ParamControl.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort, OutputPort } from './PortHandle.js';
import { previewBarrier } from '../../analysis/barrier-commands.js';
import { PreviewBarrierButton } from '../../analysis/PreviewBarrierButton.js';
import { MergeStageSettings } from './MergeStageSettings.js';

const GlobalParam = memo(function GlobalParam({ mergeId, param, value }: { mergeId: string; param: ParamDescriptor; value: ParamSpec | undefined }) {
  const onChange = useCallback((v: ParamSpec | undefined) => useEditor.getState().setParam(mergeId, param.name, v), [mergeId, param.name]);
  const onCurve = useCallback(() => useUi.getState().set({ curve: { mergeId, param: param.name, sourceId: null } }), [mergeId, param.name]);
  const onBarrier = useCallback(() => previewBarrier(mergeId, { kind: 'slider', param: param.name, sourceId: null, label: param.label }), [mergeId, param.name, param.label]);
  return <ParamControl param={param} value={value} onChange={onChange} onCurve={onCurve} onBarrier={onBarrier} />;
});

/** A per-model parameter set on the node (a recipe's top-level parameters): the default of every input that sets none. */
const SharedModelParam = memo(function SharedModelParam({ mergeId, param, value }: { mergeId: string; param: ParamDescriptor; value: ParamSpec | undefined }) {
  const onChange = useCallback((v: ParamSpec | undefined) => useEditor.getState().setParam(mergeId, param.name, v), [mergeId, param.name]);
  return <ParamControl param={param} value={value} onChange={onChange} owner="all models" />;
});

const ModelParam = memo(function ModelParam({
  mergeId,
  sourceId,
  owner,
  param,
  value,
  inherited,
  unused,
}: {
  mergeId: string;
  sourceId: string;
  owner: string;
  param: ParamDescriptor;
  value: ParamSpec | undefined;
  inherited: ParamSpec | undefined;
  unused: boolean;
}) {
  const onChange = useCallback((v: ParamSpec | undefined) => useEditor.getState().setModelParam(mergeId, sourceId, param.name, v), [mergeId, sourceId, param.name]);
  const onCurve = useCallback(() => useUi.getState().set({ curve: { mergeId, param: param.name, sourceId } }), [mergeId, sourceId, param.name]);
  const onBarrier = useCallback(
    () => previewBarrier(mergeId, { kind: 'slider', param: param.name, sourceId, label: `${param.label} of ${owner}` }),
    [mergeId, sourceId, param.name, param.label, owner],
  );
  return <ParamControl param={param} value={value} onChange={onChange} onCurve={onCurve} onBarrier={onBarrier} owner={owner} inherited={inherited} unused={unused} />;
});

/** The nodes feeding this merge's Models whose weight is implied (task-vector chains: weight 1 unless set). */
function impliedWeightSources(s: GraphLike, id: string): string[] {
  return edgesInto(s, id, 'models')
    .filter((e) => hasImpliedWeight(nodeById(s, e.source)?.data))
    .map((e) => e.source);
}

/** What an input's empty field gives: for a task-vector input's required weight, its implied 1. */
function withImpliedDefault(p: ParamDescriptor, implied: boolean): ParamDescriptor {
  return implied && p.name === 'weight' && p.type === 'number' && p.default === undefined ? { ...p, default: IMPLIED_WEIGHT } : p;
}

/** The node feeding this merge's Models that is its base listed again (its parameters unused), if any. */
function listedBaseSource(s: GraphLike, id: string, data: FlowNode['data']): string | undefined {
  const method = data.kind === 'merge' ? getMethod(data.method) : undefined;
  return method ? listedBaseEdge(s, id, method)?.source : undefined;
}

function MergeNodeImpl({ id, data }: NodeProps<FlowNode>) {
  // Only the labels of the nodes feeding `models` matter here: a shallow-compared list of strings.
  const inputs = useEditor(useShallow((s) => modelInputsOf(s, id)));
  const listedBase = useEditor((s) => listedBaseSource(s, id, data));
  const implied = useEditor(useShallow((s) => impliedWeightSources(s, id)));
  if (data.kind !== 'merge') return null;
  const method = getMethod(data.method);
  if (!method) return <NodeFrame id={id} title={data.method} kind="merge" />;
  const ports = portsOf(data);
  const globals = method.params.filter((p) => p.scope === 'global');
  const perModel = method.params.filter((p) => p.scope === 'model');
  const shared = perModel.filter((p) => data.params[p.name] !== undefined);
  return (
    <NodeFrame id={id} title={method.label} kind="merge" subtitle={method.family === 'taskVector' ? 'task vectors' : method.family}>
      <select
        className="nodrag method-select"
        aria-label="Merge method"
        value={data.method}
        onChange={(e) => useEditor.getState().updateData(id, { method: e.target.value as MethodId }, `method:${id}`)}
      >
        {METHODS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </select>
      <input
        className="nodrag stage-label"
        aria-label="Stage name"
        title="The name this merge goes by when it feeds another merge (a mergekit-multi stage name)"
        placeholder={`stage name (${id})`}
        value={data.label ?? ''}
        onChange={(e) => useEditor.getState().updateData(id, { label: e.target.value === '' ? undefined : e.target.value }, `label:${id}`)}
      />
      <MergeStageSettings id={id} data={data} />
      <p className="method-summary">{method.summary}</p>
      <PreviewBarrierButton nodeId={id} />
      {ports.inputs.map((p) => (
        <InputPort key={p.id} id={p.id} label={p.label} accepts={p.accepts} hint={p.hint} />
      ))}
      {globals.length > 0 && (
        <div className="param-group">
          {globals.map((p) => (
            <GlobalParam key={p.name} mergeId={id} param={p} value={data.params[p.name]} />
          ))}
        </div>
      )}
      {shared.length > 0 && (
        <fieldset className="param-group per-model">
          <legend>All models</legend>
          {shared.map((p) => (
            <SharedModelParam key={p.name} mergeId={id} param={p} value={data.params[p.name]} />
          ))}
        </fieldset>
      )}
      {perModel.length > 0 &&
        inputs.map((entry) => {
          const [sourceId, owner] = entry.split('\u0000');
          return (
            <fieldset key={sourceId} className="param-group per-model">
              <legend>{owner}</legend>
              {perModel.map((p) => (
                <ModelParam
                  key={p.name}
                  mergeId={id}
                  sourceId={sourceId}
                  owner={owner}
                  param={withImpliedDefault(p, implied.includes(sourceId))}
                  value={data.modelParams[sourceId]?.[p.name]}
                  inherited={data.params[p.name]}
                  unused={sourceId === listedBase}
                />
              ))}
            </fieldset>
          );
        })}
      <OutputPort id="weights" label="merged weights" gives="weights" />
    </NodeFrame>
  );
}

export const MergeNode = memo(MergeNodeImpl);
