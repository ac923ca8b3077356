/** A stand-in engine for service tests: scripted tensors, optional per-tensor delay, honours the abort signal. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnginePort } from '../../../electron/service/engine-port.js';
import type { Preflight, RunOptions, RunResult } from '../../../electron/engine/run/types.js';
import type { CheckpointInfo } from '../../../electron/engine/io/types.js';

export interface StubOptions {
  tensors?: { name: string; layer: number | null; group: 'attention' | 'mlp' | 'norm' | 'embedding' | 'other' }[];
  delayMs?: number;
  freeDisk?: number;
  bytesToWrite?: number;
  failWith?: Error;
}

export function stubEngine(o: StubOptions = {}): EnginePort & { calls: RunOptions[] } {
  const tensors = o.tensors ?? [
    { name: 'model.embed_tokens.weight', layer: null, group: 'embedding' },
    { name: 'model.layers.0.self_attn.q_proj.weight', layer: 0, group: 'attention' },
    { name: 'model.layers.0.mlp.up_proj.weight', layer: 0, group: 'mlp' },
    { name: 'model.layers.1.self_attn.q_proj.weight', layer: 1, group: 'attention' },
  ];
  const calls: RunOptions[] = [];
  const preflight = async (opts: RunOptions): Promise<Preflight> => {
    calls.push(opts);
    const bytesToWrite = o.bytesToWrite ?? 1000;
    const freeDisk = o.freeDisk ?? 1e12;
    return {
      tensors: tensors.length,
      layerCount: 2,
      bytesToRead: 2000,
      bytesToWrite,
      memoryBudget: 4e9,
      freeDisk,
      fitsOnDisk: freeDisk >= bytesToWrite,
      warnings: [],
      tensorList: tensors.map((t) => ({ ...t, shape: [2, 2], dtype: 'F32' })),
    };
  };
  const runMerge = async (opts: RunOptions): Promise<RunResult> => {
    calls.push(opts);
    if (o.failWith) throw o.failWith;
    // Like the engine: build in a staging folder beside the output, rename when complete.
    const staging = `${opts.out}.crucible-tmp-stub`;
    await mkdir(staging, { recursive: true });
    let done = 0;
    for (const t of tensors) {
      if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'CancelledError' });
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      done++;
      opts.onEvent?.({ type: 'tensor', name: t.name, layer: t.layer, group: t.group });
      opts.onEvent?.({ type: 'progress', tensorsDone: done, tensorsTotal: tensors.length, bytesDone: done, bytesTotal: tensors.length, bytesPerSecond: 1, elapsedSeconds: 0, etaSeconds: 0 });
    }
    if (opts.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'CancelledError' });
    await writeFile(join(staging, 'model.safetensors'), 'x');
    const { rename } = await import('node:fs/promises');
    await rename(staging, opts.out);
    return { out: opts.out, tensors: tensors.length, bytes: 64, seconds: 0.01, warnings: [] };
  };
  const openCheckpoint = async (path: string): Promise<CheckpointInfo> => ({
    path,
    folder: path,
    files: [{ path: join(path, 'model.safetensors'), size: 96, headerSha256: '0', metadata: {} }],
    tensors: new Map([
      ['model.layers.0.mlp.up_proj.weight', { name: 'model.layers.0.mlp.up_proj.weight', dtype: 'BF16', shape: [4, 2], numel: 8, file: '', offset: 0, byteLength: 16 }],
      ['model.norm.weight', { name: 'model.norm.weight', dtype: 'F32', shape: [2], numel: 2, file: '', offset: 16, byteLength: 8 }],
    ]),
    layerCount: 1,
    architecture: 'LlamaForCausalLM',
  });
  return { runMerge, preflight, openCheckpoint, calls };
}
