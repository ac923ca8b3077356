/** Reads a one-merge mergekit YAML recipe (the benchmark's and fuzz tests' entry; `crucible merge` reads merge-source.ts). */
import { dirname, resolve } from 'node:path';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { InputError } from '../engine/io/types.js';
import { parseMergekitYaml } from '../engine/recipe/mergekit-yaml.js';
import { readTextFile } from './read-text-file.js';

export interface LoadedRecipe {
  recipe: MergeRecipe;
  recipeDir: string;
  warnings: string[];
  yamlText?: string;
}

export async function loadRecipeFile(path: string): Promise<LoadedRecipe> {
  const abs = resolve(path);
  const text = await readTextFile(abs, 'recipe');
  const parsed = parseMergekitYaml(text, abs);
  if (parsed.recipes.length !== 1) {
    throw new InputError(`${abs} holds ${parsed.recipes.length} merge stages; this reads one (crucible merge runs them all)`, abs);
  }
  return {
    recipe: parsed.recipes[0],
    recipeDir: dirname(abs),
    warnings: parsed.warnings.map((w) => w.message),
    yamlText: text,
  };
}
