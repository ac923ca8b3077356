/**
 * What mergekit cannot express in a job's YAML export, each gap naming its node where there is
 * one: the recipes' settings (on their merge nodes) and, when the job carries the editor's graph,
 * the Crucible-only nodes upstream of its Output node (Align, Fisher estimate).
 */
import type { JobSpec } from '../../common/contract/run.js';
import { graphExportGaps, type ExportGap } from '../../common/graph/export-gaps.js';
import { ProjectSchema } from '../../common/graph/project-schema.js';
import { recipeGaps } from '../engine/recipe/export/recipe-gaps.js';

function at(nodeId: string | undefined, message: string): ExportGap {
  return nodeId === undefined ? { message } : { nodeId, message };
}

export function jobExportGaps(job: JobSpec): ExportGap[] {
  const stages = [...(job.stages ?? []).map((s) => ({ recipe: s.recipe, nodeId: s.mergeNodeId })), { recipe: job.recipe, nodeId: job.mergeNodeId }];
  const fromRecipes = stages.flatMap((s) => recipeGaps([s.recipe]).map((m) => at(s.nodeId, s === stages[stages.length - 1] || s.recipe.name === undefined ? m : `stage '${s.recipe.name}': ${m}`)));
  const graph = job.graph === undefined || job.outputNodeId === undefined ? undefined : ProjectSchema.safeParse(job.graph);
  const fromGraph = graph?.success && job.outputNodeId !== undefined ? graphExportGaps(graph.data, job.outputNodeId) : [];
  return [...fromGraph, ...fromRecipes];
}
