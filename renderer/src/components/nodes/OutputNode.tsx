/** Where the merge is written: folder, dtype, shard size, seed, tokenizer source and chat template. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { OUTPUT_DTYPES, type OutputDtype } from '../../../../common/graph/project-schema.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { PathField } from '../PathField.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort } from './PortHandle.js';
import { TokenizerFields } from './TokenizerFields.js';

const GB = 1024 ** 3;

function OutputNodeImpl({ id, data }: NodeProps<FlowNode>) {
  if (data.kind !== 'output') return null;
  const update = (patch: Parameters<ReturnType<typeof useEditor.getState>['updateData']>[1], key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  return (
    <NodeFrame id={id} title="Output" kind="output">
      <InputPort id="weights" label="Weights" accepts={['weights']} />
      <PathField label="Output folder" value={data.folder} placeholder="/path/to/output folder" onCommit={(folder) => update({ folder }, 'folder')} />
      <label className="field">
        dtype
        <select className="nodrag" aria-label="Output dtype" value={data.dtype} onChange={(e) => update({ dtype: e.target.value as OutputDtype }, 'dtype')}>
          {OUTPUT_DTYPES.map((d) => (
            <option key={d} value={d}>
              {d === 'auto' ? 'as the base model' : d}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Shard size (GiB)
        <input
          type="number"
          className="nodrag"
          aria-label="Shard size in GiB"
          min={0.01}
          step="any"
          value={Number((data.shardSize / GB).toPrecision(4))}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isFinite(v) && v > 0) update({ shardSize: Math.max(1, Math.round(v * GB)) }, 'shard');
          }}
        />
      </label>
      <label className="field">
        Seed
        <input
          type="number"
          className="nodrag"
          aria-label="Seed"
          min={0}
          max={4294967295}
          step={1}
          value={data.seed}
          onChange={(e) => {
            const v = Number(e.target.value);
            if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) update({ seed: v }, 'seed');
          }}
        />
      </label>
      <TokenizerFields data={data} update={update} />
      <label className="field field-check">
        <input type="checkbox" className="nodrag" aria-label="Replace the folder if it exists" checked={data.overwrite} onChange={(e) => update({ overwrite: e.target.checked }, 'overwrite')} />
        Replace the folder if it exists
      </label>
    </NodeFrame>
  );
}

export const OutputNode = memo(OutputNodeImpl);
