/** Relative model paths follow the file they are written into; hub ids, absolute paths and stage names stay. */
import { describe, expect, it } from 'vitest';
import { rebaseModelRefs } from '../../../../electron/engine/recipe/export/rebase-model-refs.js';

const present = new Set(['/work/proj/models/base', '/work/proj/models/math', '/work/proj/lora', '/work/proj/math.fisher.safetensors']);
const exists = (p: string) => present.has(p);

describe('rebasing model references', () => {
  it('rewrites local relative paths for a file in another folder', () => {
    const r = rebaseModelRefs(
      {
        mergeMethod: 'ties',
        baseModel: 'models/base',
        models: [
          { model: 'models/math', lora: 'lora' },
          { model: 'org/hub-model' },
          { model: '/abs/model' },
          { model: 'stage-one' },
        ],
        tokenizerSource: 'models/base',
      },
      { fromDir: '/work/proj', toDir: '/work/exports', exists, keep: new Set(['stage-one']) },
    );
    expect(r.baseModel).toBe('../proj/models/base');
    expect(r.models).toEqual([{ model: '../proj/models/math', lora: '../proj/lora' }, { model: 'org/hub-model' }, { model: '/abs/model' }, { model: 'stage-one' }]);
    expect(r.tokenizerSource).toBe('../proj/models/base');
  });

  it('marks a path below the new folder with ./ so it cannot pass for a hub id, and changes nothing in the same folder', () => {
    const below = rebaseModelRefs({ mergeMethod: 'linear', models: [{ model: 'proj/models/math' }] }, { fromDir: '/work', toDir: '/work/proj', exists });
    expect(below.models).toEqual([{ model: './models/math' }]);
    const same = rebaseModelRefs({ mergeMethod: 'linear', models: [{ model: 'models/math' }] }, { fromDir: '/work/proj', toDir: '/work/proj/', exists });
    expect(same.models).toEqual([{ model: 'models/math' }]);
  });

  it('rebases both parts of a base_model written model+lora, and slice sources', () => {
    const r = rebaseModelRefs(
      { mergeMethod: 'passthrough', baseModel: 'models/base+lora', slices: [{ sources: [{ model: 'models/math', layerRange: [0, 2] }] }] },
      { fromDir: '/work/proj', toDir: '/work', exists },
    );
    expect(r.baseModel).toBe('./proj/models/base+./proj/lora');
    expect(r.slices?.[0].sources[0].model).toBe('./proj/models/math');
  });

  it("rebases a model's or a slice source's Fisher file", () => {
    const r = rebaseModelRefs(
      { mergeMethod: 'fisher', slices: [{ sources: [{ model: 'models/math', layerRange: [0, 2], fisher: 'math.fisher.safetensors' }] }] },
      { fromDir: '/work/proj', toDir: '/work', exists },
    );
    expect(r.slices?.[0].sources[0].fisher).toBe('./proj/math.fisher.safetensors');
    const m = rebaseModelRefs({ mergeMethod: 'fisher', models: [{ model: 'models/math', fisher: 'math.fisher.safetensors' }] }, { fromDir: '/work/proj', toDir: '/work', exists });
    expect(m.models?.[0].fisher).toBe('./proj/math.fisher.safetensors');
  });

  it('with absoluteInside, writes absolute paths inside the new folder relative to it; outside, the folder itself and hub ids stay', () => {
    const r = rebaseModelRefs(
      {
        mergeMethod: 'ties',
        baseModel: '/work/exports/models/base+/work/exports/lora',
        models: [{ model: '/work/exports/models/math' }, { model: '/work/other/model' }, { model: '/work/exports' }, { model: '/work/exports-2/m' }, { model: 'org/hub-model' }],
      },
      { fromDir: '/work/proj', toDir: '/work/exports', exists, absoluteInside: true },
    );
    expect(r.baseModel).toBe('./models/base+./lora');
    expect(r.models).toEqual([{ model: './models/math' }, { model: '/work/other/model' }, { model: '/work/exports' }, { model: '/work/exports-2/m' }, { model: 'org/hub-model' }]);
    const without = rebaseModelRefs({ mergeMethod: 'linear', models: [{ model: '/work/exports/models/math' }] }, { fromDir: '/work/proj', toDir: '/work/exports', exists });
    expect(without.models).toEqual([{ model: '/work/exports/models/math' }]);
  });
});
