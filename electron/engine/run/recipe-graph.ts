/**
 * The graph recorded for a merge run from a recipe (not from the editor): the recipe laid out as
 * the editor would lay it out, so every output can be reopened as a graph. Recipes a graph cannot
 * show (slices, LoRA references) record none.
 */
import { basename } from 'node:path';
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

export function recipeGraph(recipe: MergeRecipe, out: string): Project | undefined {
  const laid = recipeToProject(recipe, { name: recipe.name ?? basename(out), outFolder: out });
  return laid.ok ? laid.project : undefined;
}
