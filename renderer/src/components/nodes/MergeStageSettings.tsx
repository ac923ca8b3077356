/**
 * A merge node's own output dtype and seed (a mergekit-multi stage's out_dtype/dtype and
 * random_seed): optional, each falling back to the Output's when left empty. When the merge is a
 * stage (its result feeds another node than an Output) or has them set, its own tokenizer source
 * and chat template too (a stage's tokenizer_source and chat_template).
 */
import { memo } from 'react';
import type { MergeNodeData, TokenizerSettings } from '../../../../common/graph/project-schema.js';
import { useEditor } from '../../state/editor-store.js';
import { TokenizerFields } from './TokenizerFields.js';

const DTYPES = ['float32', 'float16', 'bfloat16'] as const;

/** What a stage node (a merge, or a Layer assembly) has of its own as a stage of a chain. */
type StageFields = Pick<MergeNodeData, 'dtype' | 'seed' | 'tokenizerSource' | 'chatTemplate'>;
type StagePatch = Partial<StageFields>;

/** Whether the node's result feeds a node other than an Output (a stage of a chain). */
function useFeedsAnotherNode(id: string): boolean {
  return useEditor((s) => s.edges.some((e) => e.source === id && s.nodes.find((n) => n.id === e.target)?.data.kind !== 'output'));
}

export const MergeStageSettings = memo(function MergeStageSettings({ id, data }: { id: string; data: StageFields }) {
  const update = (patch: StagePatch, key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  const { dtype, seed } = data;
  const tokenizer: TokenizerSettings = { tokenizerSource: data.tokenizerSource, chatTemplate: data.chatTemplate };
  const isStage = useFeedsAnotherNode(id);
  const showTokenizer = isStage || tokenizer.tokenizerSource !== undefined || tokenizer.chatTemplate !== undefined;
  return (
    <div className="param-group stage-settings">
      <label className="field">
        dtype
        <select
          className="nodrag"
          aria-label="Stage dtype"
          title="The dtype this merge's result is written in (empty: as the Output says)"
          value={dtype ?? ''}
          onChange={(e) => update({ dtype: e.target.value === '' ? undefined : (e.target.value as MergeNodeData['dtype']) }, 'stage-dtype')}
        >
          <option value="">as the Output</option>
          {DTYPES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Seed
        <input
          type="number"
          className="nodrag"
          aria-label="Stage seed"
          title="The seed of this merge's random masks (empty: the Output's seed)"
          placeholder="as the Output"
          min={0}
          max={4294967295}
          step={1}
          value={seed ?? ''}
          onChange={(e) => {
            if (e.target.value === '') return update({ seed: undefined }, 'stage-seed');
            const v = Number(e.target.value);
            if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) update({ seed: v }, 'stage-seed');
          }}
        />
      </label>
      {showTokenizer && <TokenizerFields data={tokenizer} update={(patch, key) => update(patch, `stage-${key}`)} stage />}
    </div>
  );
});
