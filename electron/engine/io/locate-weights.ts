/** Decides which weight files a checkpoint path stands for, refusing what Crucible cannot read. */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { INDEX_FILE_NAME } from './shard-index.js';
import { InputError } from './types.js';

export type WeightsLocation =
  | { kind: 'single'; file: string; folder: string }
  | { kind: 'sharded'; indexFile: string; folder: string };

const PICKLE = /\.(bin|pt|pth|ckpt)$/i;
const SAFETENSORS = /\.safetensors$/i;
const INDEX = /\.safetensors\.index\.json$/i;
const SINGLE_FILE_NAME = 'model.safetensors';

const CONVERT_HINT =
  'Crucible reads only safetensors: convert the checkpoint first ' +
  '(e.g. transformers `model.save_pretrained(dir, safe_serialization=True)`, or `safetensors.torch.save_file`)';

/**
 * `path` (absolute) is a .safetensors file, an index json, or a folder holding (in this order of
 * preference) model.safetensors.index.json, model.safetensors, a single *.safetensors.index.json,
 * or a single *.safetensors file.
 */
export async function locateWeights(path: string): Promise<WeightsLocation> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError(`${path}: no such file or folder`, path);
  }
  if (!isDir) return locateFile(path);

  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (e) {
    throw new InputError(`${path}: cannot list the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  const has = new Set(names);
  if (has.has(INDEX_FILE_NAME)) return { kind: 'sharded', indexFile: join(path, INDEX_FILE_NAME), folder: path };
  if (has.has(SINGLE_FILE_NAME)) return { kind: 'single', file: join(path, SINGLE_FILE_NAME), folder: path };
  const indexes = names.filter((n) => INDEX.test(n));
  if (indexes.length === 1) return { kind: 'sharded', indexFile: join(path, indexes[0]), folder: path };
  if (indexes.length > 1) {
    throw new InputError(`${path}: several safetensors index files (${indexes.join(', ')}); give the one to use`, path);
  }
  const singles = names.filter((n) => SAFETENSORS.test(n));
  if (singles.length === 1) return { kind: 'single', file: join(path, singles[0]), folder: path };
  if (singles.length > 1) {
    throw new InputError(
      `${path}: several .safetensors files (${singles.join(', ')}) and no ${INDEX_FILE_NAME}; give the file to use`,
      path,
    );
  }
  const pickles = names.filter((n) => PICKLE.test(n));
  if (pickles.length > 0) {
    throw new InputError(`${path}: only PyTorch pickle weights (${pickles.join(', ')}), no .safetensors. ${CONVERT_HINT}.`, path);
  }
  throw new InputError(`${path}: no .safetensors weights in this folder`, path);
}

function locateFile(path: string): WeightsLocation {
  const name = basename(path);
  const folder = dirname(path);
  if (INDEX.test(name)) return { kind: 'sharded', indexFile: path, folder };
  if (SAFETENSORS.test(name)) return { kind: 'single', file: path, folder };
  if (PICKLE.test(name)) throw new InputError(`${path}: a PyTorch pickle checkpoint. ${CONVERT_HINT}.`, path);
  throw new InputError(`${path}: not a .safetensors file`, path);
}
