/**
 * `crucible export-yaml SOURCE [--out FILE] [--output NODE] [--comments]`: the mergekit YAML of a project file,
 * or of a folder Crucible wrote (the recipe file it was run from, verbatim, when it recorded one).
 * Over an existing FILE only what changed is edited; its comments stay. What mergekit cannot express
 * is warned on stderr; --comments also writes it into the YAML as `# crucible: …` comment lines.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MergeRecipeSchema } from '../../../common/contract/recipe.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { loadProject } from '../../../common/graph/load-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import { openCheckpoint } from '../../engine/io/checkpoint.js';
import { InputError } from '../../engine/io/types.js';
import { mergekitYamlForFile } from '../../engine/recipe/export/export-for-file.js';
import { withGapComments, withoutGapComments } from '../../engine/recipe/export/gap-comments.js';
import { recipeGaps } from '../../engine/recipe/export/recipe-gaps.js';
import { graphExportGaps } from '../../../common/graph/export-gaps.js';
import { writeFileAtomic } from '../../service/atomic-write.js';
import { UsageError } from '../exit-codes.js';
import { loadMergeSource } from '../merge-source.js';
import { projectJobs } from '../project-jobs.js';
import type { Reporter } from '../output.js';

export interface ExportArgs {
  source: string;
  out?: string;
  output?: string;
  /** Write what mergekit cannot express into the file as `# crucible: …` comments. */
  comments?: boolean;
}

/** What to export: recipes and where their relative paths point from, or a recorded YAML text. */
type Exportable =
  | { kind: 'recipes'; stages: MergeRecipe[]; dir: string | undefined; fromGraph: boolean; graphGaps?: string[] }
  | { kind: 'text'; text: string };

function fromProject(project: Project, file: string, dir: string | undefined, output: string | undefined): Exportable {
  const jobs = projectJobs(project, file);
  const chosen = output === undefined ? jobs : jobs.filter((j) => j.outputNodeId === output);
  if (chosen.length === 0) throw new UsageError(`${file} has no Output node '${output}' (its Output nodes: ${jobs.map((j) => j.outputNodeId).join(', ')})`);
  if (chosen.length > 1) {
    throw new UsageError(`${file} has ${jobs.length} Output nodes: choose one with --output (${jobs.map((j) => j.outputNodeId).join(', ')})`);
  }
  // A chain: its named stages, then the final merge (mergekit-multi documents).
  const job = chosen[0];
  // Align and Fisher-estimate nodes upstream: the YAML only names what they write.
  const graphGaps = graphExportGaps(project, job.outputNodeId).map((g) => g.message);
  return { kind: 'recipes', stages: [...(job.stages ?? []).map((s) => s.recipe), job.recipe], dir, fromGraph: true, graphGaps };
}

/** A Crucible output folder: the YAML it was run from, else its graph, else its recipe. */
async function fromOutputFolder(folder: string, output: string | undefined): Promise<Exportable> {
  const meta = (await openCheckpoint(folder)).files[0]?.metadata ?? {};
  if (meta['crucible.recipe_yaml'] !== undefined) return { kind: 'text', text: meta['crucible.recipe_yaml'] };
  const where = `${folder} (crucible.graph)`;
  if (meta['crucible.graph'] !== undefined) {
    const loaded = loadProject(JSON.parse(meta['crucible.graph']), where);
    if (!loaded.ok) throw new InputError(loaded.reason, folder);
    // Relative paths were relative to the project's folder, which is not recorded: kept as written.
    return fromProject(loaded.project, where, undefined, output);
  }
  if (meta['crucible.recipe'] !== undefined) {
    const recipe = MergeRecipeSchema.safeParse(JSON.parse(meta['crucible.recipe']));
    if (recipe.success) return { kind: 'recipes', stages: [recipe.data], dir: undefined, fromGraph: false };
  }
  throw new InputError(`${folder}: no Crucible recipe in this folder's metadata (was it written by Crucible?)`, folder);
}

async function exportable(args: ExportArgs): Promise<Exportable> {
  const abs = resolve(args.source);
  const isFolder = (await stat(abs).catch(() => undefined))?.isDirectory() ?? false;
  if (isFolder) return fromOutputFolder(abs, args.output);
  const source = await loadMergeSource(abs);
  if (source.kind === 'project') return fromProject(source.project, source.file, source.dir, args.output);
  return { kind: 'recipes', stages: source.stages, dir: source.dir, fromGraph: false };
}

export async function exportYamlCommand(args: ExportArgs, r: Reporter): Promise<void> {
  const what = await exportable(args);
  const out = args.out === undefined ? undefined : resolve(args.out);
  let text: string;
  if (what.kind === 'text') text = what.text;
  else {
    // Printed, relative paths are made relative to the current folder.
    const path = out ?? resolve('recipe.yaml');
    const written = await mergekitYamlForFile({ stages: what.stages, path, recipeDir: what.dir, fromGraph: what.fromGraph, editExisting: out !== undefined });
    const graphGaps = what.graphGaps ?? [];
    for (const w of [...graphGaps, ...written.warnings]) r.warn(w);
    text = args.comments ? withGapComments(written.text, [...graphGaps, ...recipeGaps(what.stages)]) : withoutGapComments(written.text);
  }
  if (out === undefined) {
    if (r.json) r.event({ type: 'yaml', text });
    else process.stdout.write(text);
    return;
  }
  await writeFileAtomic(out, text);
  r.event({ type: 'done', out });
  r.info(`wrote ${out}`);
}
