/** Recipes → a new mergekit YAML file: one document per stage, separated by `---`. */
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { mergekitObject } from './mergekit-object.js';
import { toPyyamlText } from './pyyaml-safe.js';
import { seedComment } from '../seed-comment.js';

export interface MergekitYamlText {
  text: string;
  warnings: string[];
}

/** One stage as a YAML document's text (no `---`), its seed (if any) a comment line above its keys. */
export function stageText(recipe: MergeRecipe): MergekitYamlText {
  const { value, warnings } = mergekitObject(recipe);
  const seed = recipe.seed === undefined ? '' : `${seedComment(recipe.seed)}\n`;
  return { text: seed + toPyyamlText(value), warnings };
}

export function writeMergekitYaml(stages: readonly MergeRecipe[]): MergekitYamlText {
  const parts = stages.map(stageText);
  return { text: parts.map((p) => p.text).join('---\n'), warnings: parts.flatMap((p) => p.warnings) };
}
