/**
 * `crucible recipe import X.yaml --out GRAPH.json`: a mergekit YAML file as a project (graph) file;
 * `crucible recipe export GRAPH.json --out X.yaml`: a project's graph as mergekit YAML;
 * `crucible recipe extract MODEL_DIR --out GRAPH.json [--models-root DIR]`: the graph a Crucible
 * output recorded, its inputs found again by header hash when they moved.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Project } from '../../../common/graph/project-schema.js';
import { extractGraph } from '../../engine/provenance/extract-graph.js';
import { inputName } from '../../engine/provenance/resolve-inputs.js';
import { rebaseModelRefs } from '../../engine/recipe/export/rebase-model-refs.js';
import { parseMergekitYaml } from '../../engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../engine/recipe/recipes-as-project.js';
import { writeFileAtomic } from '../../service/atomic-write.js';
import { InputError } from '../../engine/io/types.js';
import { UsageError } from '../exit-codes.js';
import { projectJson } from '../merge-source.js';
import type { Reporter } from '../output.js';
import { readTextFile } from '../read-text-file.js';
import { exportYamlCommand } from './export-yaml.js';

export const RECIPE_USAGE = `  crucible recipe import X.yaml [--out GRAPH.json] [--json]
  crucible recipe export GRAPH.json [--out X.yaml] [--output NODE] [--comments] [--json]
  crucible recipe extract MODEL_DIR [--out GRAPH.json] [--models-root DIR] [--json]`;

/** A graph is written over a Crucible project file only, never over the recipe it came from or any other file. */
async function refuseNonProject(abs: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'EISDIR') throw new InputError(`${abs} is a folder: give the .crucible.json file to write`, abs);
    throw err;
  }
  if (projectJson(text) === undefined) {
    throw new InputError(`${abs} exists and is not a Crucible project: a graph is only written over one (choose another name, or delete it first)`, abs);
  }
}

async function writeGraph(project: Project, out: string | undefined, r: Reporter): Promise<void> {
  const text = JSON.stringify(project, null, 2) + '\n';
  if (out === undefined) {
    if (r.json) r.event({ type: 'graph', graph: project });
    else process.stdout.write(text);
    return;
  }
  const abs = resolve(out);
  await refuseNonProject(abs);
  await writeFileAtomic(abs, text);
  r.event({ type: 'done', out: abs });
  r.info(`wrote ${abs}`);
}

/** The YAML's recipe as a graph; relative local model paths rewritten relative to the graph file's folder. */
async function importYaml(file: string, out: string | undefined, r: Reporter): Promise<void> {
  const abs = resolve(file);
  const parsed = parseMergekitYaml(await readTextFile(abs, 'recipe'), abs);
  for (const w of parsed.warnings) r.warn(w.message);
  const graphDir = out === undefined ? process.cwd() : dirname(resolve(out));
  // Stage names (mergekit-multi) are references to other documents, never rewritten.
  const keep = new Set(parsed.recipes.flatMap((s) => (s.name === undefined ? [] : [s.name])));
  const recipes = parsed.recipes.map((s) => rebaseModelRefs(s, { fromDir: dirname(abs), toDir: graphDir, keep }));
  const name = (recipes.length === 1 ? recipes[0].name : undefined) ?? basename(abs, extname(abs));
  const laid = recipesAsProject(recipes, abs, { name, outFolder: `./${name.replace(/[/\\:]/g, '_') || 'merged'}` });
  for (const w of laid.warnings) r.warn(w);
  await writeGraph(laid.project, out, r);
}

async function extract(folder: string, out: string | undefined, modelsRoot: string | undefined, r: Reporter): Promise<void> {
  const got = await extractGraph(folder, modelsRoot);
  for (const i of got.inputs) {
    if (!i.moved) continue;
    r.event({ type: 'input', model: i.model, ...(i.kind === undefined ? {} : { kind: i.kind }), path: i.path, recordedPath: i.recordedPath });
    if (!r.json) process.stderr.write(`${inputName(i)} moved: found by header hash at ${i.path}\n`);
  }
  await writeGraph(got.graph, out, r);
}

export async function recipeCommand(argv: string[], r: Reporter): Promise<void> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: 'string' }, output: { type: 'string' }, 'models-root': { type: 'string' }, comments: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`crucible recipe ${sub ?? ''} takes one file or folder\n${RECIPE_USAGE}`);
  const [source] = positionals;
  switch (sub) {
    case 'import':
      return importYaml(source, values.out, r);
    case 'export':
      return exportYamlCommand({ source, out: values.out, output: values.output, comments: values.comments }, r);
    case 'extract':
      return extract(source, values.out, values['models-root'], r);
    default:
      throw new UsageError(`crucible recipe takes import, export or extract\n${RECIPE_USAGE}`);
  }
}
