/**
 * The YAML text to write at a path: model paths made relative to that file's folder, and an
 * existing file there edited in place (its comments kept) rather than replaced.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function mergekitYamlForFile(o: ExportForFile): Promise<MergekitYamlText> {
  const names = new Set(o.stages.flatMap((s) => (s.name === undefined ? [] : [s.name])));
  const from = o.recipeDir;
  const stages = from === undefined ? o.stages : o.stages.map((s) => rebaseModelRefs(s, { fromDir: from, toDir: dirname(o.path), keep: names }));
  return exportMergekitYaml(stages, {
    previousText: o.editExisting === false ? undefined : await readIfExists(o.path),
    file: o.path,
    preserve: o.fromGraph ? GRAPH_UNSET_KEYS : [],
  });
}
