/**
 * Imports a mergekit YAML file: one recipe, or several for a multi-document file (mergekit-multi:
 * documents carry a `name:` that other documents use as a model reference; the unnamed one is
 * the final merge).
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { ImportContext } from './import-context.js';
import { RecipeError, type RecipeWarning } from './recipe-error.js';
import { readYamlDocuments } from './read-yaml-documents.js';
import { recipeFromDocument } from './recipe-from-document.js';
import { documentSpan } from './document-span.js';
import { findSeedComment } from './seed-comment.js';

export interface MergekitImport {
  /** In file order; a stage's `name` may be used as a model by the other stages (stage-order.ts). */
  recipes: MergeRecipe[];
  warnings: RecipeWarning[];
}

/** Throws RecipeError (file, line, column) for a file that is not a usable recipe. */
export function parseMergekitYaml(text: string, fileName: string): MergekitImport {
  const { documents, lineCounter } = readYamlDocuments(text, fileName);
  const ctx = new ImportContext(fileName, lineCounter);
  const used = documents.filter((d) => d.contents !== null);
  if (used.length === 0) throw new RecipeError('the file holds no recipe', fileName);
  const recipes = used.map((doc) => recipeFromDocument(ctx, doc));
  // A seed Crucible's export wrote as a comment (mergekit has no seed key): read back unless a key set one.
  used.forEach((doc, i) => {
    if (recipes[i].seed !== undefined) return;
    const found = findSeedComment(text.slice(...documentSpan(documents, doc)));
    if (found) recipes[i].seed = found.seed;
  });
  // mergekit-multi: the unnamed document is the final merge; the others are named stages.
  const unnamed = recipes.flatMap((r, i) => (r.name === undefined ? [i] : []));
  if (recipes.length > 1) {
    for (const i of unnamed.slice(1)) {
      ctx.warn(used[i].contents, `document ${i + 1} of ${recipes.length} has no 'name:' either: only the final merge may be unnamed (the others need a name)`);
    }
  }
  return { recipes, warnings: ctx.warnings };
}
