/**
 * Every merge kernel gives the same bits on WasmBackend as on TsBackend: the primitives are
 * bit-identical, and kernels use the backend's views the way WasmBackend requires.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../../../common/methods/registry.js';
import type { MethodDescriptor, ResolvedParams } from '../../../common/methods/types.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { hasKernel } from '../../../electron/engine/methods/index.js';
import { runMethod } from '../methods/harness.js';
import { rng, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
});

const SHAPE = [96, 128];
const NUMEL = SHAPE[0] * SHAPE[1];

function randomTensor(seed: number): Float32Array {
  const next = rng(seed);
  const base = Float32Array.from({ length: NUMEL }, () => (next() / 2 ** 32 - 0.5) * 0.02);
  // Exact zeros and repeated magnitudes: the ties TIES/DARE/DELLA rank and sign rules care about.
  for (let i = 0; i < NUMEL; i += 37) base[i] = 0;
  for (let i = 5; i < NUMEL; i += 53) base[i] = 0.001;
  return base;
}

/** Required parameters get a value inside their range; the rest keep their defaults. */
function required(desc: MethodDescriptor, scope: 'model' | 'global', i: number): ResolvedParams {
  const out: ResolvedParams = {};
  for (const p of desc.params) {
    if (p.scope !== scope || p.type !== 'number' || p.default !== undefined) continue;
    const lo = p.min ?? p.softMin ?? 0;
    const hi = p.max ?? p.softMax ?? 1;
    const v = lo + (hi - lo) * [0.35, 0.6, 0.45][i % 3];
    out[p.name] = p.integer ? Math.round(v) : v;
  }
  return out;
}

function run(desc: MethodDescriptor, backend: Backend): { out?: Float32Array; error?: string } {
  // passthrough copies its one input; the others get up to three models.
  const count = desc.id === 'passthrough' ? 1 : Math.max(desc.minModels, Math.min(desc.maxModels ?? 3, 3));
  try {
    const { out } = runMethod(desc.id, {
      base: desc.base === 'none' ? undefined : randomTensor(1),
      models: Array.from({ length: count }, (_, i) => randomTensor(10 + i)),
      modelParams: Array.from({ length: count }, (_, i) => required(desc, 'model', i)),
      global: required(desc, 'global', 0),
      shape: SHAPE,
      seed: 12345,
      chunk: 4096,
      backend,
    });
    return { out };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('merge kernels on WasmBackend', () => {
  const methods = METHODS.filter((m) => hasKernel(m.id));
  it('has kernels to check', () => expect(methods.length).toBeGreaterThan(0));
  for (const desc of methods) {
    it(`${desc.id}: same bits as on TsBackend`, () => {
      const want = run(desc, new TsBackend());
      const got = run(desc, wasm);
      // Both backends must also fail alike (fisher needs Fisher tensors, which this test does not make).
      expect(got.error).toBe(want.error);
      if (desc.id !== 'fisher') expect(want.error).toBeUndefined();
      if (want.out) expect(sameBits(got.out!, want.out, NUMEL * 4, desc.id)).toBe(true);
    });
  }
});
