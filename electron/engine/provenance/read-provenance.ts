/**
 * A Crucible output's provenance, read back from its first weight file's __metadata__: the recipe,
 * the inputs (name, size and header hash of each file), the seed and the graph.
 */
import { MergeRecipeSchema } from '../../../common/contract/recipe.js';
import { loadProject } from '../../../common/graph/load-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { openCheckpoint } from '../io/checkpoint.js';
import { InputError, type CheckpointInfo } from '../io/types.js';
import { RecordedInputsSchema, StageRecordsSchema, type RecordedInput, type StageRecord } from './stage-record.js';

export type { RecordedInput };

export interface Provenance {
  checkpoint: CheckpointInfo;
  recipe: MergeRecipe;
  inputs: RecordedInput[];
  seed: number | undefined;
  /** The recorded graph, when there is one. */
  graph: Project | undefined;
  recipeYaml: string | undefined;
  version: string | undefined;
  /** A chain's earlier stages, in run order (empty for a single merge). */
  stages: StageRecord[];
}

function parseJson(text: string, key: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${where}: ${key} is not valid JSON`, where);
  }
}

export async function readProvenance(path: string): Promise<Provenance> {
  const checkpoint = await openCheckpoint(path);
  const where = checkpoint.path;
  const meta = checkpoint.files[0]?.metadata ?? {};
  if (meta['crucible.recipe'] === undefined || meta['crucible.inputs'] === undefined) {
    const file = checkpoint.files[0]?.path ?? where;
    throw new InputError(
      `${file}: no Crucible provenance in its metadata (no crucible.graph or crucible.recipe): it was not written by Crucible, so there is no recipe to reopen`,
      file,
    );
  }
  const recipe = MergeRecipeSchema.safeParse(parseJson(meta['crucible.recipe'], 'crucible.recipe', where));
  if (!recipe.success) throw new InputError(`${where}: crucible.recipe is not a recipe: ${recipe.error.issues[0]?.message ?? ''}`, where);
  const inputs = RecordedInputsSchema.safeParse(parseJson(meta['crucible.inputs'], 'crucible.inputs', where));
  if (!inputs.success) throw new InputError(`${where}: crucible.inputs is malformed`, where);
  let graph: Project | undefined;
  if (meta['crucible.graph'] !== undefined) {
    const loaded = loadProject(parseJson(meta['crucible.graph'], 'crucible.graph', where), `${where} (crucible.graph)`);
    if (!loaded.ok) throw new InputError(loaded.reason, where);
    graph = loaded.project;
  }
  const seed = meta['crucible.seed'] === undefined ? undefined : Number(meta['crucible.seed']);
  let stages: StageRecord[] = [];
  if (meta['crucible.stages'] !== undefined) {
    const parsed = StageRecordsSchema.safeParse(parseJson(meta['crucible.stages'], 'crucible.stages', where));
    if (!parsed.success) throw new InputError(`${where}: crucible.stages is malformed`, where);
    stages = parsed.data as StageRecord[];
  }
  return {
    checkpoint,
    recipe: recipe.data as MergeRecipe,
    inputs: inputs.data,
    seed: Number.isInteger(seed) ? seed : undefined,
    graph,
    recipeYaml: meta['crucible.recipe_yaml'],
    version: meta['crucible.version'],
    stages,
  };
}

/** Every input the output was made from, across a chain's stages (a stage's name is not an input), each once. */
export function allRecordedInputs(prov: Provenance): RecordedInput[] {
  const stageNames = new Set(prov.stages.map((s) => s.name));
  const seen = new Set<string>();
  return [...prov.stages.flatMap((s) => s.inputs), ...prov.inputs].filter((i) => {
    const key = `${i.kind ?? 'model'}\u0000${i.model}`;
    if ((i.kind === undefined && stageNames.has(i.model)) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
