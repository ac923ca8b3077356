/** Writes a whole .safetensors file at once (tests and small outputs; large outputs use planShards). */
import { writeFile } from 'node:fs/promises';
import type { Dtype } from './dtype.js';
import { layoutSafetensorsFile } from './safetensors-layout.js';

export interface TensorWithData {
  name: string;
  dtype: Dtype;
  shape: readonly number[];
  /** Raw little-endian bytes, exactly numel × dtype size. */
  data: Uint8Array;
}

/** The file's bytes: header (metadata first, `format: pt`), then each tensor's data in the given order. */
export function encodeSafetensors(tensors: readonly TensorWithData[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const layout = layoutSafetensorsFile(tensors, metadata);
  const out = new Uint8Array(layout.size);
  out.set(layout.header, 0);
  tensors.forEach((t, i) => {
    const placed = layout.tensors[i];
    if (t.data.byteLength !== placed.byteLength) {
      throw new Error(`tensor ${JSON.stringify(t.name)}: ${t.data.byteLength} bytes of data, its shape and dtype need ${placed.byteLength}`);
    }
    out.set(t.data, placed.offset);
  });
  return out;
}

export async function writeSafetensorsFile(
  path: string,
  tensors: readonly TensorWithData[],
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, metadata));
}
