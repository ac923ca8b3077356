/**
 * The YAML text to write at a path: model paths made relative to that file's folder, and an
 * existing file there edited in place (its comments kept) rather than replaced.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../../io/types.js';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { exportMergekitYaml, type MergekitYamlText } from './export-mergekit-yaml.js';
import { rebaseModelRefs } from './rebase-model-refs.js';
import type { PreservedKey } from './update-mergekit-yaml.js';

/**
 * What a recipe compiled from a graph may leave unset: an existing file's value is kept. Tokenizer
 * settings are the graph's (the Output node's, and each stage's merge node's): cleared there means
 * cleared in the file.
 */
export const GRAPH_UNSET_KEYS: readonly PreservedKey[] = ['name'];

export interface ExportForFile {
  stages: readonly MergeRecipe[];
  /** Absolute path of the file to write. */
  path: string;
  /** The folder the recipes' relative model paths are relative to (undefined: unknown, kept as written). */
  recipeDir: string | undefined;
  /** Edit the file at `path` if there is one (default); false for text not written there (printed). */
  editExisting?: boolean;
  /** The recipes come from a graph (keys it cannot express are kept from an existing file). */
  fromGraph?: boolean;
}

/**
 * The text of the file to be edited, if there is one. A file that is no YAML file (a project's
 * .json, a model's .safetensors, anything binary) is refused rather than replaced: an export is
 * never the way to lose one.
 */
async function readIfExists(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new InputError(`${path} is a folder: give the YAML file to write`, path);
    throw err;
  }
  if (!/\.ya?ml$/i.test(path) || bytes.includes(0)) {
    throw new InputError(`${path} exists and is not a YAML file: a recipe is only written over a .yaml or .yml file (choose another name, or delete it first)`, path);
  }
  return bytes.toString('utf8');
}

export async function mergekitYamlForFile(o: ExportForFile): Promise<MergekitYamlText> {
  const names = new Set(o.stages.flatMap((s) => (s.name === undefined ? [] : [s.name])));
  const from = o.recipeDir;
  const toDir = dirname(o.path);
  const stages = o.stages.map((s) => rebaseModelRefs(s, { fromDir: from ?? toDir, toDir, keep: names, absoluteInside: true }));
  return exportMergekitYaml(stages, {
    previousText: o.editExisting === false ? undefined : await readIfExists(o.path),
    file: o.path,
    preserve: o.fromGraph ? GRAPH_UNSET_KEYS : [],
  });
}
