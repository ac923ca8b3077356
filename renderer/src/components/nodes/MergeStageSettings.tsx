/**
 * A merge node's own output dtype and seed (a mergekit-multi stage's out_dtype/dtype and
 * random_seed): optional, each falling back to the Output's when left empty.
 */
import { memo } from 'react';
import type { MergeNodeData } from '../../../../common/graph/project-schema.js';
import { useEditor } from '../../state/editor-store.js';

const DTYPES = ['float32', 'float16', 'bfloat16'] as const;

export const MergeStageSettings = memo(function MergeStageSettings({ id, dtype, seed }: { id: string; dtype: MergeNodeData['dtype']; seed: number | undefined }) {
  const update = (patch: Partial<Pick<MergeNodeData, 'dtype' | 'seed'>>, key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
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
    </div>
  );
});
