/**
 * The graph recorded for a merge run from a recipe (not from the editor): the recipe laid out as
 * the editor would lay it out, so every output can be reopened as a graph; a multi-stage recipe
 * as its chain of merge nodes. Nothing in it depends on where the output is written: the same
 * recipe writes the same bytes to any folder.
 */
import { recipesToProject } from '../../../common/graph/recipe-to-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

export function recipeGraph(recipe: MergeRecipe): Project | undefined {
  return recipesGraph([recipe], 0);
}

/** `final`: the document the output is the result of (stage-order.ts). */
export function recipesGraph(recipes: readonly MergeRecipe[], final: number): Project | undefined {
  const name = recipes[final].name ?? 'merged';
  const laid = recipesToProject(recipes, final, { name, outFolder: `./${name.replace(/[/\\:]/g, '_')}` });
  return laid.ok ? laid.project : undefined;
}
