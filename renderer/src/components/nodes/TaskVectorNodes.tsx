/** Task Vector (model − base), Scale (α; negative negates) and Add: reduced to task-arithmetic weights. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NumberParam } from '../../../../common/methods/types.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { ParamControl } from '../params/ParamControl.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort, OutputPort } from './PortHandle.js';

const ALPHA: NumberParam = {
  name: 'alpha',
  label: 'α',
  type: 'number',
  scope: 'global',
  perLayer: false,
  default: 1,
  softMin: -2,
  softMax: 2,
  description: 'Multiplies the task vector. Negative α negates it (forgetting a task).',
};

function TaskVectorNodeImpl({ id }: NodeProps<FlowNode>) {
  return (
    <NodeFrame id={id} title="Task Vector" kind="taskVector" subtitle="model − base">
      <InputPort id="model" label="Model" accepts={['weights']} />
      <InputPort id="base" label="Base" accepts={['weights']} />
      <OutputPort id="taskVector" label="task vector" gives="taskVector" />
    </NodeFrame>
  );
}

function ScaleNodeImpl({ id, data }: NodeProps<FlowNode>) {
  if (data.kind !== 'scale') return null;
  return (
    <NodeFrame id={id} title="Scale" kind="scale" subtitle={data.alpha < 0 ? 'negated' : undefined}>
      <InputPort id="taskVector" label="Task vector" accepts={['taskVector']} />
      <ParamControl
        param={ALPHA}
        value={data.alpha}
        onChange={(v) => useEditor.getState().updateData(id, { alpha: typeof v === 'number' ? v : 1 }, `alpha:${id}`)}
      />
      <OutputPort id="taskVector" label="task vector" gives="taskVector" />
    </NodeFrame>
  );
}

function AddNodeImpl({ id }: NodeProps<FlowNode>) {
  return (
    <NodeFrame id={id} title="Add" kind="add" subtitle="Σ task vectors">
      <InputPort id="taskVectors" label="Task vectors" accepts={['taskVector']} />
      <OutputPort id="taskVector" label="task vector" gives="taskVector" />
    </NodeFrame>
  );
}

export const TaskVectorNode = memo(TaskVectorNodeImpl);
export const ScaleNode = memo(ScaleNodeImpl);
export const AddNode = memo(AddNodeImpl);
