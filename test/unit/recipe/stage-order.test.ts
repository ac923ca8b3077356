/** Stages of a multi-document recipe, by mergekit-multi's rules. */
import { describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { RecipeError } from '../../../electron/engine/recipe/recipe-error.js';
import { planStages, unusedStageHint } from '../../../electron/engine/recipe/stage-order.js';
import { recipeText } from './recipe-fixtures.js';

const stages = (text: string) => parseMergekitYaml(text, 'r.yaml').recipes;
const doc = (name: string | null, models: string[]) => `${name === null ? '' : `name: ${name}\n`}merge_method: linear\nmodels: [${models.join(', ')}]\n`;

function planError(text: string): string {
  try {
    planStages(stages(text), 'r.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(RecipeError);
    return (e as RecipeError).reason;
  }
  throw new Error('planned without an error');
}

describe('an unused stage whose name a running stage nearly uses', () => {
  it("names the typo: 'soupp' in the final merge for the stage 'soup'", () => {
    const recipes = stages([doc('soup', ['m1', 'm2']), doc(null, ['soupp', 'm3'])].join('---\n'));
    const plan = planStages(recipes, 'r.yaml');
    expect(plan.unused).toEqual([0]);
    expect(unusedStageHint(recipes, plan, 0)).toBe(" (did document 2 (unnamed) mean 'soup' where it says 'soupp'?)");
  });

  it('says nothing when no reference is close to the name', () => {
    const recipes = stages([doc('soup', ['m1', 'm2']), doc(null, ['model-x', 'm3'])].join('---\n'));
    expect(unusedStageHint(recipes, planStages(recipes, 'r.yaml'), 0)).toBe('');
  });
});

describe('planning the stages of a multi-document recipe', () => {
  it('035: the named stage runs first, the unnamed document is the final merge', () => {
    const { text, file } = recipeText('035');
    expect(planStages(parseMergekitYaml(text, file).recipes, file)).toEqual({ order: [0, 1], final: 1, unused: [] });
  });

  it('orders stages by what they use, wherever they stand in the file', () => {
    const text = [doc(null, ['c', 'x']), doc('a', ['m1', 'm2']), doc('b', ['a', 'm3']), doc('c', ['b', 'a'])].join('---\n');
    expect(planStages(stages(text), 'r.yaml')).toEqual({ order: [1, 2, 3, 0], final: 0, unused: [] });
  });

  it('without an unnamed document, the one stage no other uses is the result; stages the result does not need are left out', () => {
    expect(planStages(stages([doc('a', ['m1', 'm2']), doc('b', ['a', 'm3'])].join('---\n')), 'r.yaml')).toEqual({ order: [0, 1], final: 1, unused: [] });
    expect(planStages(stages([doc('a', ['m1', 'm2']), doc('lone', ['m3', 'm4']), doc(null, ['a', 'm5'])].join('---\n')), 'r.yaml')).toEqual({
      order: [0, 2],
      final: 2,
      unused: [1],
    });
    expect(planStages(stages(doc('only', ['m1', 'm2'])), 'r.yaml')).toEqual({ order: [0], final: 0, unused: [] });
  });

  it('refuses duplicate names, two unnamed documents, cycles, self-use and an ambiguous result', () => {
    expect(planError([doc('a', ['m1', 'm2']), doc('a', ['m3', 'm4']), doc(null, ['a', 'm5'])].join('---\n'))).toBe("documents 1 and 2 are both named 'a'");
    expect(planError([doc(null, ['m1', 'm2']), doc(null, ['m3', 'm4'])].join('---\n'))).toBe("documents 1, 2 have no 'name:': only the final merge may be unnamed");
    expect(planError([doc('a', ['b', 'm1']), doc('b', ['a', 'm2']), doc(null, ['a', 'm3'])].join('---\n'))).toBe(
      "the stages use each other in a cycle: stage 'a' → stage 'b' → stage 'a'",
    );
    expect(planError([doc('a', ['a', 'm1']), doc(null, ['a', 'm3'])].join('---\n'))).toBe("stage 'a' uses its own output");
    expect(planError([doc('a', ['m1', 'm2']), doc('b', ['m3', 'm4'])].join('---\n'))).toBe(
      "no other stage uses 'a', 'b': which is the result? Remove the 'name:' of the final merge",
    );
    // Every stage named and each used by the other: the cycle is named (not 'no other stage uses : …').
    expect(planError([doc('a', ['b', 'm1']), doc('b', ['a', 'm2'])].join('---\n'))).toBe("the stages use each other in a cycle: stage 'a' → stage 'b' → stage 'a'");
  });
});
