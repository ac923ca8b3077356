/** Reads the real mergekit recipes copied into test/fixtures/recipes. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
