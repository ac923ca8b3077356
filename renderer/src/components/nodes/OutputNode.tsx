/** Where the merge is written: folder, dtype, shard size, seed, tokenizer source and chat template. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { OUTPUT_DTYPES, type OutputDtype } from '../../../../common/graph/project-schema.js';
import { useEditor } from '../../state/editor-store.js';
import { useUi } from '../../state/ui-store.js';
import { hostDirname } from '../../host-path.js';
import { outputFolderNote, outputFolderNoteText } from '../../output-folder-note.js';
import type { FlowNode } from '../../state/flow-types.js';
import { PathField } from '../PathField.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort } from './PortHandle.js';
import { TokenizerFields } from './TokenizerFields.js';

const GB = 1024 ** 3;

function OutputNodeImpl({ id, data }: NodeProps<FlowNode>) {
  if (data.kind !== 'output') return null;
  const update = (patch: Parameters<ReturnType<typeof useEditor.getState>['updateData']>[1], key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  return <OutputFields id={id} data={data} update={update} />;
}

type OutputData = Extract<FlowNode['data'], { kind: 'output' }>;

/** The graph's input paths (models and LoRA adapters), one per line: a string, so the selector's result compares by value. */
function inputPathsKey(s: ReturnType<typeof useEditor.getState>): string {
  return s.nodes.flatMap((n) => (n.data.kind === 'model' ? [n.data.path] : n.data.kind === 'lora' ? [n.data.adapter] : [])).join('\n');
}

function OutputFolderNoteLine({ folder }: { folder: string }) {
  const inputs = useEditor(inputPathsKey);
  const projectPath = useEditor((s) => s.path);
  const homeDir = useUi((s) => s.homeDir);
  const note = outputFolderNote(folder, inputs ? inputs.split('\n') : [], projectPath ? hostDirname(projectPath) : homeDir, homeDir);
  if (!note) return null;
  return (
    <p role="note" className={note.kind === 'same' ? 'node-note' : 'node-note node-note-info'}>
      {outputFolderNoteText(note)}
    </p>
  );
}

function OutputFields({ id, data, update }: { id: string; data: OutputData; update: (patch: Partial<OutputData>, key: string) => void }) {
  return (
    <NodeFrame id={id} title="Output" kind="output">
      <InputPort id="weights" label="Weights" accepts={['weights']} />
      <PathField label="Output folder" value={data.folder} placeholder="/path/to/output folder" onCommit={(folder) => update({ folder }, 'folder')} />
      <OutputFolderNoteLine folder={data.folder} />
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
