/**
 * LoRA: a PEFT adapter over the base on its input, either as a model (base + adapter, read like any
 * checkpoint) or as a task vector (the adapter's update, into a task-vector merge over that base).
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useEditor } from '../../state/editor-store.js';
import { useUi } from '../../state/ui-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { PathField } from '../PathField.js';
import { InputNoteLine } from './InputNoteLine.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort, OutputPort } from './PortHandle.js';

/** Switching what the node gives drops its edges (editor-store), then re-draws those the new output can feed, saying why the others went. */
function setMode(id: string, mode: 'model' | 'taskVector'): void {
  const out = mode === 'model' ? 'weights' : 'taskVector';
  const old = useEditor.getState().edges.filter((e) => e.source === id && e.sourceHandle !== out);
  useEditor.getState().updateData(id, { mode }, `mode:${id}`);
  const refused = old
    .map((e) => useEditor.getState().connect({ source: id, sourceHandle: out, target: e.target, targetHandle: e.targetHandle ?? null }))
    .filter((r) => !r.ok);
  if (refused.length) useUi.getState().notify(`${refused.length} connection${refused.length === 1 ? '' : 's'} removed: ${refused[0].ok ? '' : refused[0].reason}`, 'info');
}

function LoraNodeImpl({ id, data }: NodeProps<FlowNode>) {
  if (data.kind !== 'lora') return null;
  const title = data.adapter ? `LoRA ${data.adapter.split(/[\\/]/).filter(Boolean).pop() ?? ''}` : 'LoRA';
  return (
    <NodeFrame id={id} title={title} kind="lora" subtitle="PEFT adapter">
      <InputPort id="base" label="Base" accepts={['weights']} />
      <PathField
        label="Adapter path"
        value={data.adapter}
        placeholder="/path/to/adapter folder"
        onCommit={(adapter) => useEditor.getState().updateData(id, { adapter }, `adapter:${id}`)}
      />
      <InputNoteLine id={id} path={data.adapter} />
      <label className="field">
        Acts as
        <select className="nodrag" aria-label="LoRA acts as" value={data.mode} onChange={(e) => setMode(id, e.target.value as 'model' | 'taskVector')}>
          <option value="model">a model (base + adapter)</option>
          <option value="taskVector">a task vector (the adapter’s update)</option>
        </select>
      </label>
      {data.mode === 'model' ? <OutputPort id="weights" label="base + adapter" gives="weights" /> : <OutputPort id="taskVector" label="adapter update (task vector)" gives="taskVector" />}
    </NodeFrame>
  );
}

export const LoraNode = memo(LoraNodeImpl);
