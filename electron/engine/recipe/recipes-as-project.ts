/**
 * An imported mergekit file as a graph: one merge node per document, a mergekit-multi file's
 * stages chained (stage-order.ts says which document is the final merge and refuses cycles and
 * duplicate names). Stage names take precedence over folders of the same name, with a warning.
 */
import { dirname } from 'node:path';
import { recipesToProject, type LayoutOptions } from '../../../common/graph/recipe-to-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { InputError } from '../io/types.js';
import { shadowedFolderWarnings } from '../stages/run-stages.js';
import { importRefusals } from './import-refusals.js';
import { planStages, unusedStageHint } from './stage-order.js';

export interface ImportedProject {
  project: Project;
  warnings: string[];
}

/** `file`: the YAML file (absolute), named in errors; its folder is where relative references resolve. */
export function recipesAsProject(recipes: readonly MergeRecipe[], file: string, layout: LayoutOptions): ImportedProject {
  const plan = planStages(recipes, file);
  const warnings = plan.unused.map((i) => `stage '${recipes[i].name}' is not used by the final merge: it is shown, but not run${unusedStageHint(recipes, plan, i)}`);
  if (recipes.length > 1) warnings.push(...shadowedFolderWarnings(recipes, dirname(file)));
  warnings.push(...importRefusals(recipes));
  const laid = recipesToProject(recipes, plan.final, layout);
  if (!laid.ok) throw new InputError(`${file}: ${laid.reason}`, file);
  return { project: laid.project, warnings };
}
