/** Reads the real mergekit recipes copied into test/fixtures/recipes. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';

export const RECIPES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'recipes');

export function recipeFiles(): string[] {
  return readdirSync(RECIPES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

/** The file whose name starts with the given number ("002"). */
export function recipeFile(number: string): string {
  const f = recipeFiles().find((name) => name.startsWith(`${number}-`));
  if (!f) throw new Error(`no recipe ${number} in ${RECIPES_DIR}`);
  return f;
}

export function recipeText(number: string): { text: string; file: string } {
  const file = recipeFile(number);
  return { text: readFileSync(join(RECIPES_DIR, file), 'utf8'), file };
}

/** Every recipe file that parses (its file name, text and recipes), in file order; the others are skipped. */
export function parsedRecipes(): { name: string; text: string; file: string; recipes: MergeRecipe[] }[] {
  return recipeFiles().flatMap((name) => {
    const { text, file } = recipeText(name.slice(0, 3));
    try {
      return [{ name, text, file, recipes: parseMergekitYaml(text, file).recipes }];
    } catch {
      return [];
    }
  });
}
