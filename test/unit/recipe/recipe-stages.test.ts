import { describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { earlierStageRefs } from '../../../electron/engine/recipe/recipe-stages.js';
import { recipeText } from './recipe-fixtures.js';

describe('stages of a multi-document recipe', () => {
  it("035: the second stage uses the first stage's output '4kmerge-v2'", () => {
    const { text, file } = recipeText('035');
    const { recipes } = parseMergekitYaml(text, file);
    expect(earlierStageRefs(recipes, 0)).toEqual([]);
    expect(earlierStageRefs(recipes, 1)).toEqual(['4kmerge-v2']);
  });

  it('a name used before its stage is not an earlier stage', () => {
    const { recipes } = parseMergekitYaml('merge_method: linear\nmodels: [later, a]\nname: first\n---\nmerge_method: linear\nmodels: [first, b]\nname: later\n', 'r.yaml');
    expect(earlierStageRefs(recipes, 0)).toEqual([]);
    expect(earlierStageRefs(recipes, 1)).toEqual(['first']);
  });
});
