/**
 * Writes safetensors files one tensor at a time (header first, then each tensor's bytes at its
 * offset), so a caller never holds more than one tensor's data: LoRA overlays, aligned models and
 * Fisher files all go through here.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planShards } from '../io/shards.js';
import { layoutSafetensorsFile, type TensorSpec } from '../io/safetensors-layout.js';

/** Produces one tensor's raw little-endian bytes (exactly its byte length). */
export type TensorBytes = (spec: TensorSpec, index: number) => Uint8Array | Promise<Uint8Array>;

async function writePlaced(
  path: string,
  header: Uint8Array,
  placed: readonly { name: string; offset: number; byteLength: number }[],
  specs: readonly TensorSpec[],
  indexOf: ReadonlyMap<string, number>,
  produce: TensorBytes,
): Promise<void> {
  const h = await open(path, 'wx');
  try {
    await h.write(header, 0, header.length, 0);
    for (let i = 0; i < placed.length; i++) {
      const index = indexOf.get(placed[i].name)!;
      const bytes = await produce(specs[index], index);
      if (bytes.byteLength !== placed[i].byteLength) {
        throw new Error(`tensor ${JSON.stringify(placed[i].name)}: ${bytes.byteLength} bytes produced, ${placed[i].byteLength} expected`);
      }
      await h.write(bytes, 0, bytes.byteLength, placed[i].offset);
    }
  } finally {
    await h.close();
  }
}

function indexByName(specs: readonly TensorSpec[]): Map<string, number> {
  return new Map(specs.map((s, i) => [s.name, i]));
}

/** One .safetensors file at `path` (which must not exist), tensors in the given order. */
export async function writeTensorFile(path: string, specs: readonly TensorSpec[], metadata: Readonly<Record<string, string>>, produce: TensorBytes): Promise<void> {
  const layout = layoutSafetensorsFile(specs, metadata);
  await writePlaced(path, layout.header, layout.tensors, specs, indexByName(specs), produce);
}

/** HF weight files in `folder`: model.safetensors, or shards of at most shardSize bytes with their index json. */
export async function writeWeightFolder(
  folder: string,
  specs: readonly TensorSpec[],
  shardSize: number,
  metadata: Readonly<Record<string, string>>,
  produce: TensorBytes,
): Promise<string[]> {
  const layout = planShards(specs, shardSize, metadata);
  const indexOf = indexByName(specs);
  for (const file of layout.files) await writePlaced(join(folder, file.name), file.header, file.tensors, specs, indexOf, produce);
  if (layout.index) await writeFile(join(folder, 'model.safetensors.index.json'), JSON.stringify(layout.index, null, 2) + '\n');
  return layout.files.map((f) => f.name);
}
