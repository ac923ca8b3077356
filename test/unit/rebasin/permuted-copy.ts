/** A fixture with random architecture-respecting permutations applied (Re-Basin tests). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';
import { detectLanguageModel } from '../../../electron/engine/probe/arch/detect-language-model.js';
import { readTensorF32 } from '../../../electron/engine/probe/stream/read-tensor-f32.js';
import { languageModelPermutationSpec } from '../../../electron/engine/rebasin/language-model-spec.js';
import type { PermutationSpec, Permutations } from '../../../electron/engine/rebasin/permutation-spec.js';
import { permuteTensor } from '../../../electron/engine/rebasin/permute-tensor.js';
import { makeRng, type Rng } from '../../helpers/prng.js';
import { writeHfCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { FIXTURES } from '../probe/fixture-forward.js';

function shuffle(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Random permutations that respect the architecture: KV groups move whole, query heads within their group. */
function randomPermutations(spec: PermutationSpec, rng: Rng): Permutations {
  const perms: Permutations = new Map();
  for (const g of spec.groups) {
    if (g.kind === 'units') {
      perms.set(g.perm, Int32Array.from(shuffle(g.size, rng)));
      continue;
    }
    const G = g.heads / g.kvHeads;
    const sigma = shuffle(g.kvHeads, rng);
    perms.set(g.kvPerm, Int32Array.from(sigma));
    perms.set(g.qPerm, Int32Array.from(sigma.flatMap((s) => shuffle(G, rng).map((t) => s * G + t))));
  }
  return perms;
}

function specOf(ck: CheckpointInfo): PermutationSpec {
  return languageModelPermutationSpec(detectLanguageModel(ck), new Map([...ck.tensors].map(([n, t]) => [n, t.shape])));
}

/** The fixture with random permutations applied, written as an F32 HF folder. */
export async function permutedCopy(fixture: string, seed: number, dtype: 'F32' | 'F64' = 'F32'): Promise<{ dir: string; perms: Permutations }> {
  const ck = await openCheckpoint(join(FIXTURES, fixture));
  const spec = specOf(ck);
  const perms = randomPermutations(spec, makeRng(seed));
  const tensors = [...ck.tensors.values()].map((t) => ({
    name: t.name,
    shape: t.shape,
    values: permuteTensor(readTensorF32(t), t.shape, spec.refs.filter((r) => r.tensor === t.name), perms),
  }));
  const dir = await makeTempDir(`permuted-${fixture}`);
  const config = JSON.parse(await readFile(join(FIXTURES, fixture, 'config.json'), 'utf8')) as Record<string, unknown>;
  await writeHfCheckpoint(dir, tensors, { dtype, config: { ...config, torch_dtype: dtype === 'F32' ? 'float32' : 'float64' }, tokenizer: false });
  return { dir, perms };
}
