/**
 * The output's model card (README.md): Hugging Face front matter listing the base models, the
 * mergekit YAML when the merge is expressible as one, and the Crucible graph.
 */
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { writeMergekitYaml } from '../recipe/export/write-mergekit-yaml.js';
import type { StageRecord } from '../provenance/stage-record.js';

export interface ModelCardInput {
  recipe: MergeRecipe;
  /** Model references as the recipe wrote them, in plan order. */
  models: readonly string[];
  recipeYaml?: string;
  graph?: unknown;
  version: string;
  /** A chain's earlier stages: their inputs are listed too, the YAML has one document per stage. */
  stages?: readonly StageRecord[];
}

/** The mergekit YAML of the run: the file it was run from, else the recipe exported; undefined when not expressible. */
function mergekitYaml(c: ModelCardInput): string | undefined {
  if (c.recipeYaml !== undefined) return c.recipeYaml;
  try {
    return writeMergekitYaml([...(c.stages ?? []).map((s) => s.recipe), c.recipe]).text;
  } catch {
    return undefined;
  }
}

function fence(lang: string, text: string): string {
  const body = text.endsWith('\n') ? text : text + '\n';
  // A fence longer than any backtick run inside the text.
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body}${f}\n`;
}

/** The models the merge reads, across a chain's stages (a stage's name is not a model). */
function baseModels(c: ModelCardInput): string[] {
  const stageNames = new Set((c.stages ?? []).map((s) => s.name));
  const all = [...(c.stages ?? []).flatMap((s) => s.inputs.map((i) => i.model)), ...c.models];
  return [...new Set(all)].filter((m) => !stageNames.has(m));
}

export function modelCard(c: ModelCardInput): string {
  const models = baseModels(c);
  const lines = ['---', 'base_model:'];
  for (const m of models) lines.push(`- ${JSON.stringify(m)}`);
  lines.push('library_name: transformers', 'tags:', '- merge', '- crucible', '---', '');
  const title = c.recipe.name ?? 'Merged model';
  lines.push(`# ${title}`, '', `Merged with Crucible ${c.version} (method \`${c.recipe.mergeMethod}\`) from:`, '');
  for (const m of models) lines.push(`- ${m}`);
  let text = lines.join('\n') + '\n';
  const yaml = mergekitYaml(c);
  if (yaml !== undefined) text += `\n## Merge recipe (mergekit YAML)\n\n${fence('yaml', yaml)}`;
  if (c.graph !== undefined) text += `\n## Crucible graph\n\n${fence('json', JSON.stringify(c.graph, null, 2))}`;
  return text;
}
