/** MLP parameters in memory (float32), their safetensors file, and initialisation. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { encodeSafetensors } from '../../io/write-safetensors.js';

export interface MlpParams {
  /** weights[l] is [sizes[l+1], sizes[l]] row-major; biases[l] is [sizes[l+1]]. */
  weights: Float32Array[];
  biases: Float32Array[];
  /** Layer widths, input first, classes last. */
  sizes: number[];
}

/** He-uniform initialisation from a uniform [0, 1) source (seeded by the caller). */
export function initMlp(sizes: number[], uniform: () => number): MlpParams {
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const bound = Math.sqrt(6 / sizes[l]);
    weights.push(Float32Array.from({ length: sizes[l + 1] * sizes[l] }, () => (2 * uniform() - 1) * bound));
    biases.push(new Float32Array(sizes[l + 1]));
  }
  return { weights, biases, sizes: [...sizes] };
}

export function cloneMlp(p: MlpParams): MlpParams {
  return { weights: p.weights.map((w) => Float32Array.from(w)), biases: p.biases.map((b) => Float32Array.from(b)), sizes: [...p.sizes] };
}

/** Writes `dir/model.safetensors` with tensors layers.N.weight / layers.N.bias (F32), N = 0, 1, …. */
export async function writeMlpCheckpoint(dir: string, p: MlpParams): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tensors = p.weights.flatMap((w, l) => [
    { name: `layers.${l}.weight`, dtype: 'F32' as const, shape: [p.sizes[l + 1], p.sizes[l]], data: new Uint8Array(w.buffer, w.byteOffset, w.byteLength) },
    { name: `layers.${l}.bias`, dtype: 'F32' as const, shape: [p.sizes[l + 1]], data: new Uint8Array(p.biases[l].buffer, p.biases[l].byteOffset, p.biases[l].byteLength) },
  ]);
  await writeFile(join(dir, 'model.safetensors'), encodeSafetensors(tensors));
}
