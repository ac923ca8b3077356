/**
 * `recipe import` and the app's import (recipesAsProject, the function both call) warn about what
 * `crucible merge` refuses, in the merge's own words: tokenizer_source 'union' (recipes 022, 023,
 * 035, 077) and a SLERP whose base_model is not one of its two inputs (022).
 */
import { describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../../electron/engine/recipe/recipes-as-project.js';
import { recipeText } from './recipe-fixtures.js';

const UNION = "tokenizer_source 'union' (building a joint vocabulary) is not supported yet: use 'base' or a model's tokenizer: it is kept in the graph, and the merge refuses it";

function importWarnings(text: string, file = '/r/r.yaml'): string[] {
  return recipesAsProject(parseMergekitYaml(text, file).recipes, file, { name: 'r', outFolder: '/out' }).warnings;
}

describe('import warns about what the merge refuses', () => {
  it("022: union tokenizer and a slerp whose base is neither of the slice's two sources", () => {
    const { text } = recipeText('022');
    expect(importWarnings(text)).toEqual([
      UNION,
      "slerp's base_model 'TinyPixel/Llama-2-7B-bf16-sharded' must be one of its two inputs: it is kept in the graph, and the merge refuses it",
    ]);
  });

  it.each(['023', '077'])('%s: union tokenizer', (n) => {
    expect(importWarnings(recipeText(n).text)).toContain(UNION);
  });

  it('035 (mergekit-multi): the union tokenizer of a stage is named with its stage', () => {
    const w = importWarnings(recipeText('035').text);
    expect(w.filter((x) => x.endsWith(UNION)).length).toBeGreaterThanOrEqual(1);
    expect(w).toContain(`stage '4kmerge-v2': ${UNION}`);
  });

  it('models: form slerp with the base missing from its models warns; with the base among them, nothing', () => {
    const bad = 'merge_method: slerp\nbase_model: b\nmodels:\n  - model: x\n  - model: y\nparameters:\n  t: 0.5\n';
    expect(importWarnings(bad)).toEqual(["slerp's base_model 'b' must be one of its two inputs: it is kept in the graph, and the merge refuses it"]);
    expect(importWarnings(bad.replace('model: x', 'model: b'))).toEqual([]);
  });

  it('slices: the slice missing the base is named', () => {
    const text = [
      'merge_method: slerp',
      'base_model: a',
      'slices:',
      '  - sources:',
      '      - model: a',
      '        layer_range: [0, 2]',
      '      - model: c',
      '        layer_range: [0, 2]',
      '  - sources:',
      '      - model: b',
      '        layer_range: [2, 4]',
      '      - model: c',
      '        layer_range: [2, 4]',
      'parameters:',
      '  t: 0.5',
      '',
    ].join('\n');
    expect(importWarnings(text)).toEqual(["slerp's base_model 'a' must be one of its two inputs (slice 2): it is kept in the graph, and the merge refuses it"]);
  });
});
