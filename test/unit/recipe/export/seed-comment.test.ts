/**
 * The DARE/DELLA seed in exported YAML: mergekit's MergeConfiguration has no seed key (its seed is
 * the `--random-seed` CLI flag; a `random_seed:` key is ignored), so the export writes a comment
 * line saying how to pass it, and Crucible's importer reads it back; `random_seed:`/`seed:` keys
 * of older files are still read, and kept when exporting over such a file.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';

const DARE: MergeRecipe = {
  mergeMethod: 'dare_ties',
  baseModel: 'b',
  models: [{ model: 'a', parameters: { weight: 1, density: 0.5 } }],
  parameters: { rescale_norm: 'l1' },
  seed: 0,
};
const seeds = (text: string) => parseMergekitYaml(text, 'r.yaml').recipes.map((r) => r.seed);

describe('the seed as a comment, not a key mergekit ignores', () => {
  it('a DARE recipe with seed 0 is written with the comment and no random_seed key; it imports back with seed 0', () => {
    const { text } = exportMergekitYaml([DARE]);
    expect(text.split('\n')[0]).toBe('# crucible seed: 0 — pass --random-seed 0 to mergekit');
    expect(Object.keys(parse(text) as object)).not.toContain('random_seed');
    expect(parseMergekitYaml(text, 'r.yaml').recipes).toEqual([DARE]);
  });

  it('each document of a multi-document file has its own comment, read for that document only', () => {
    const first: MergeRecipe = { ...DARE, name: 'stage', seed: 7 };
    const last: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'stage', parameters: { weight: 1 } }] };
    const { text } = exportMergekitYaml([first, last]);
    expect(seeds(text)).toEqual([7, undefined]);
    expect(seeds(exportMergekitYaml([{ ...first, seed: undefined }, { ...last, seed: 3 }]).text)).toEqual([undefined, 3]);
  });

  it("older files' random_seed and seed keys are still read, and a key wins over a comment", () => {
    expect(seeds('merge_method: linear\nmodels: [a]\nrandom_seed: 5\n')).toEqual([5]);
    expect(seeds('merge_method: linear\nmodels: [a]\nseed: 6\n')).toEqual([6]);
    expect(seeds('# crucible seed: 1\nmerge_method: linear\nmodels: [a]\nrandom_seed: 5\n')).toEqual([5]);
  });

  it('exporting over a file: the comment line is rewritten or removed in place; a seed key the file has is kept and updated', () => {
    const before = '# mine\n# crucible seed: 7 — pass --random-seed 7 to mergekit\nmerge_method: dare_ties # m\nbase_model: b\nmodels:\n  - model: a\n    parameters: {weight: 1, density: 0.5}\n';
    const changed = exportMergekitYaml([{ ...DARE, seed: 9 }], { previousText: before }).text;
    expect(changed).toBe(before.replaceAll('7', '9'));
    const removed = exportMergekitYaml([{ ...DARE, seed: undefined }], { previousText: before }).text;
    expect(removed).toBe(before.replace('# crucible seed: 7 — pass --random-seed 7 to mergekit\n', ''));
    const keyed = 'merge_method: dare_ties\nbase_model: b\nmodels:\n  - model: a\n    parameters: {weight: 1, density: 0.5}\nrandom_seed: 7\n';
    expect(exportMergekitYaml([{ ...DARE, seed: 9 }], { previousText: keyed }).text).toBe(keyed.replace('random_seed: 7', 'random_seed: 9'));
  });
});
