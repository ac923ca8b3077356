/**
 * The graph recorded for a merge run from a recipe (not from the editor): the recipe laid out as
 * the editor would lay it out, so every output can be reopened as a graph (`model+lora` as a LoRA
 * node over its Model node, slices as a Layer assembly). Recipes a graph cannot show record none.
 * Nothing in it depends on where the output is written: the same recipe writes the same bytes to any folder.
 */
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

export function recipeGraph(recipe: MergeRecipe): Project | undefined {
  const name = recipe.name ?? 'merged';
  const laid = recipeToProject(recipe, { name, outFolder: `./${name.replace(/[/\\:]/g, '_')}` });
  return laid.ok ? laid.project : undefined;
}
