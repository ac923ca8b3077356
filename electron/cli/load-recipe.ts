/** Reads a recipe file for `crucible merge`: mergekit YAML (one document) for now. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { InputError } from '../engine/io/types.js';
import { parseMergekitYaml } from '../engine/recipe/mergekit-yaml.js';

export interface LoadedRecipe {
  recipe: MergeRecipe;
  recipeDir: string;
  warnings: string[];
  yamlText?: string;
}

export async function loadRecipeFile(path: string): Promise<LoadedRecipe> {
  const abs = resolve(path);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read the recipe ${abs}: ${(err as Error).message}`, abs);
  }
  const parsed = parseMergekitYaml(text, abs);
  if (parsed.recipes.length !== 1) {
    throw new InputError(`${abs} holds ${parsed.recipes.length} merge documents; crucible merge runs one (multi-stage recipes are not supported yet)`, abs);
  }
  return {
    recipe: parsed.recipes[0],
    recipeDir: dirname(abs),
    warnings: parsed.warnings.map((w) => (typeof w === 'string' ? w : w.message)),
    yamlText: text,
  };
}
