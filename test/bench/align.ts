/**
 * The Re-Basin benchmark (`npm run bench -- align`): one weight-matching sweep of `crucible align`
 * (measured 2026-11-24, load average 6–12 on 2 shared cores: float64 TypeScript 411.5 s, WebAssembly 90.7 s)
 * over two generated Llama-shaped models of about 97M parameters (the probe benchmark's shape), with
 * the score matrices (Gram products) on each matmul backend there is, and the load average beside
 * every figure (the machine is shared).
 */
import { loadavg, tmpdir } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { alignCheckpoint, type AlignOptions } from '../../electron/engine/rebasin/align-checkpoint.js';
import { SHAPE, writeModel } from './probes.js';

type Variant = { label: string; options: () => Promise<{ opts: Partial<AlignOptions>; close: () => Promise<void> }> };

async function variants(): Promise<Variant[]> {
  const { WasmMatmul } = await import('../../electron/engine/probe/wasm/wasm-matmul.js');
  const threads = (await import('node:os')).availableParallelism();
  return [
    { label: 'TypeScript float64 Gram, 1 thread', options: async () => ({ opts: { matmul: null }, close: async () => {} }) },
    {
      label: `WebAssembly SIMD Gram, ${threads} workers`,
      options: async () => {
        const mm = await WasmMatmul.create({ threads });
        return { opts: { matmul: mm }, close: () => mm.close() };
      },
    },
  ];
}

export async function runAlignBench(): Promise<void> {
  console.log('\nalign (Git Re-Basin weight matching)');
  const root = join(tmpdir(), `crucible-align-bench-${process.pid}`);
  try {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const params = writeModel(a, 1);
    writeModel(b, 2);
    console.log(`  models: Llama-shaped, ${(params / 1e6).toFixed(1)}M parameters, bf16, ${SHAPE.layers} layers, hidden ${SHAPE.hidden}, MLP ${SHAPE.intermediate}`);
    for (const v of await variants()) {
      const { opts, close } = await v.options();
      try {
        const load = loadavg()[0];
        const start = performance.now();
        const res = await alignCheckpoint(a, b, join(root, `out-${v.label.length}`), { ...opts, maxSweeps: 1, force: true });
        const s = (performance.now() - start) / 1000;
        // Llama: the residual stream, and per layer the MLP units and the attention heads.
        console.log(`  ${v.label.padEnd(36)} ${res.sweeps} sweep over ${SHAPE.layers * 2 + 1} permutation groups (Gram products, assignments, reads and writes): ${s.toFixed(1)} s   load average ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
      } finally {
        await close();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
