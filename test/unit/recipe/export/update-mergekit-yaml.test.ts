/**
 * Recipes written over an existing mergekit file: only what changed is edited; comments, order,
 * quoting and layout elsewhere stay byte for byte, and the result imports as the recipes given.
 */
import { describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';
import { parsedRecipes, recipeText } from '../recipe-fixtures.js';

const lines = (...l: string[]) => l.join('\n') + '\n';
const imported = (text: string) => parseMergekitYaml(text, 'r.yaml').recipes;

/** Lines of `after` that differ from `before`, for files with the same number of lines. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return b.filter((line, i) => line !== a[i]);
}

describe('exporting over an existing mergekit file', () => {
  it('leaves every published recipe byte for byte as it was when nothing changed', () => {
    for (const { name: f, text, file, recipes } of parsedRecipes()) {
      const out = exportMergekitYaml(recipes, { previousText: text, file });
      expect(out.warnings, f).toEqual([]);
      expect(out.text, f).toBe(text);
    }
  });

  it('035: a changed density rewrites that one value; the 25 comments of the file stay', () => {
    const { text, file } = recipeText('035');
    const recipes = imported(text);
    const edited = structuredClone(recipes);
    edited[1].models![2].parameters!.density = 0.5;
    const out = exportMergekitYaml(edited, { previousText: text, file });
    expect(out.warnings).toEqual([]);
    expect(changedLines(text, out.text)).toEqual(['      density: 0.5']);
    expect(imported(out.text)).toEqual(edited);
  });

  it('adds and removes models, keys and parameters where they belong, keeping the comments around them', () => {
    const before = lines(
      '# my merge',
      'merge_method: ties # the method',
      'base_model: base',
      'models:',
      '  - a # first',
      '  - model: b',
      '    # b is the math model',
      '    parameters:',
      '      weight: 1',
      '      density: 0.5 # half',
      '  - model: c',
      '    parameters: {weight: 1, density: 0.7}',
      'parameters:',
      '  normalize: true',
      'dtype: bfloat16',
      '# trailing remark',
    );
    const recipe: MergeRecipe = {
      mergeMethod: 'ties',
      baseModel: 'base',
      models: [
        { model: 'a', parameters: { weight: 0.3 } },
        { model: 'd', parameters: { weight: 1 } },
        { model: 'c', parameters: { weight: 1, density: 0.9 } },
      ],
      parameters: { normalize: true, lambda: 0.8 },
      outDtype: 'bfloat16',
      seed: 3,
    };
    const out = exportMergekitYaml([recipe], { previousText: before });
    expect(out.warnings).toEqual([]);
    expect(out.text).toBe(
      lines(
        '# my merge',
        // The added seed is a comment above the keys (mergekit has no seed key; imported back as the seed).
        '# crucible seed: 3 — pass --random-seed 3 to mergekit',
        'merge_method: ties # the method',
        'base_model: base',
        'models:',
        '  - model: a # first',
        '    parameters:',
        '      weight: 0.3',
        '  - model: d',
        '    parameters:',
        '      weight: 1',
        '  - model: c',
        '    parameters: {weight: 1, density: 0.9}',
        'parameters:',
        '  normalize: true',
        '  lambda: 0.8',
        'dtype: bfloat16',
        '# trailing remark',
      ),
    );
    // The file's `dtype: bfloat16` already writes bfloat16: it stays, rather than an added out_dtype.
    const { outDtype: _written, ...rest } = recipe;
    expect(imported(out.text)).toEqual([{ ...rest, dtype: 'bfloat16' }]);
  });

  it('keeps what a graph cannot express (name, tokenizer source, chat template) when asked to', () => {
    const before = lines('name: stage', 'merge_method: linear', 'models: [a, b]', 'tokenizer:', '  source: a # keep its vocabulary', 'chat_template: chatml', 'seed: 5');
    const fromGraph: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'a' }, { model: 'b', parameters: { weight: 2 } }], seed: 9 };
    const kept = exportMergekitYaml([fromGraph], { previousText: before, preserve: ['name', 'tokenizer_source', 'chat_template'] });
    expect(kept.warnings).toEqual([]);
    expect(kept.text).toBe(lines('name: stage', 'merge_method: linear', 'models: [a, {model: b, parameters: {weight: 2}}]', 'tokenizer:', '  source: a # keep its vocabulary', 'chat_template: chatml', 'seed: 9'));
    expect(imported(kept.text)[0]).toMatchObject({ name: 'stage', tokenizerSource: 'a', chatTemplate: 'chatml', seed: 9 });

    const dropped = exportMergekitYaml([fromGraph], { previousText: before });
    expect(dropped.text).toBe(lines('merge_method: linear', 'models: [a, {model: b, parameters: {weight: 2}}]', 'seed: 9'));
  });

  it("a graph's final merge: its tokenizer settings are the Output node's (cleared there, removed from the file); an earlier stage keeps the file's", () => {
    const before = lines('name: soup', 'merge_method: linear', 'models: [a, b]', 'chat_template: alpaca', '---', 'merge_method: linear', 'models: [soup, c]', 'tokenizer_source: c', 'chat_template: chatml');
    const soup: MergeRecipe = { name: 'soup', mergeMethod: 'linear', models: [{ model: 'a' }, { model: 'b' }] };
    const final: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'soup' }, { model: 'c' }], chatTemplate: 'llama3' };
    const out = exportMergekitYaml([soup, final], { previousText: before, preserve: ['name', 'tokenizer_source', 'chat_template'], preserveLast: ['name'] });
    expect(out.text).toBe(lines('name: soup', 'merge_method: linear', 'models: [a, b]', 'chat_template: alpaca', '---', 'merge_method: linear', 'models: [soup, c]', 'chat_template: llama3'));
    expect(imported(out.text).map((r) => [r.tokenizerSource, r.chatTemplate])).toEqual([
      [undefined, 'alpaca'],
      [undefined, 'llama3'],
    ]);
  });

  it('edits the tokenizer block and the dtype as the file spells them', () => {
    const before = lines('merge_method: linear', 'models:', '  - model: a', '  - model: b', 'tokenizer:', '  source: a', 'dtype: float16');
    const recipe: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'a' }, { model: 'b' }], tokenizerSource: 'b', outDtype: 'float16' };
    const out = exportMergekitYaml([recipe], { previousText: before });
    expect(changedLines(before, out.text)).toEqual(['  source: b']);
  });

  it('adds and removes stages', () => {
    const before = lines('name: one', 'merge_method: linear', 'models: [a, b]', '---', '# the final merge', 'merge_method: linear', 'models: [one, c]');
    const [one, final] = imported(before);
    const extra: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'final' }, { model: 'd' }] };
    const three = exportMergekitYaml([one, { ...final, name: 'final' }, extra], { previousText: before });
    expect(three.text).toBe(
      lines(
        'name: one',
        'merge_method: linear',
        'models: [a, b]',
        '---',
        '# the final merge',
        'merge_method: linear',
        'models: [one, c]',
        'name: final',
        '---',
        'merge_method: linear',
        'models:',
        '  - model: final',
        '  - model: d',
      ),
    );
    expect(imported(three.text)).toEqual([one, { ...final, name: 'final' }, extra]);
    const single = exportMergekitYaml([one], { previousText: before });
    expect(single.text).toBe(lines('name: one', 'merge_method: linear', 'models: [a, b]'));
  });

  it('writes the file anew, and says so, when the old one is not a recipe or cannot be edited in place', () => {
    const recipe: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'a' }, { model: 'b' }] };
    const fresh = lines('merge_method: linear', 'models:', '  - model: a', '  - model: b');
    const notYaml = exportMergekitYaml([recipe], { previousText: 'this is: [not closed', file: 'old.yaml' });
    expect(notYaml.text).toBe(fresh);
    expect(notYaml.warnings).toEqual(['old.yaml was not a mergekit recipe Crucible reads: it is replaced']);
    // The parameters to remove share their line with the entry's dash.
    const dashLine = lines('merge_method: linear', 'models:', '  - parameters: {weight: 2}', '    model: a', '  - model: b');
    const rewritten = exportMergekitYaml([recipe], { previousText: dashLine, file: 'old.yaml' });
    expect(rewritten.text).toBe(fresh);
    expect(rewritten.warnings).toEqual(['old.yaml could not be edited in place: it is written anew (its comments are lost)']);
  });
});
