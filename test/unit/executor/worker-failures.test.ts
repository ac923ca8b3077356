/**
 * The worker reports a failure against the file that failed: a read error on an input names that
 * input's file and tensor (it used to be reported against the output file), a write error names
 * the output file. The worker's entry is called in-process, as the pool calls it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import runTask, { type WorkerResult } from '../../../electron/engine/executor/worker.js';
import type { ComputeTask, CopyTask, InputLocation, WorkerRequest, WorkerTask } from '../../../electron/engine/executor/task-types.js';
import { withDefaults } from '../methods/harness.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
let out: string;
let good: string;
beforeAll(async () => {
  dir = await makeTempDir('worker-failures');
  out = join(dir, 'out.bin');
  writeFileSync(out, Buffer.alloc(64));
  good = join(dir, 'good.bin');
  writeFileSync(good, Buffer.alloc(64));
});
afterAll(removeTempDirs);

const loc = (file: string, tensor: string): InputLocation => ({ file, offset: 0, dtype: 'F32', numel: 8, tensor });

function linearTask(models: InputLocation[], outFile = out): ComputeTask {
  return {
    kind: 'compute',
    name: 'model.layers.0.mlp.up_proj.weight',
    method: 'linear',
    shape: [8],
    numel: 8,
    start: 0,
    count: 8,
    models,
    modelParams: models.map(() => withDefaults('linear', 'model', { weight: 0.5 })),
    global: withDefaults('linear', 'global'),
    seed: 0,
    out: { file: outFile, offset: 0, dtype: 'F32' },
  };
}

function run(task: WorkerTask): Promise<WorkerResult> {
  const req: WorkerRequest = {
    task,
    flagsBuffer: new SharedArrayBuffer(4),
    progressBuffer: new SharedArrayBuffer(8),
    workBytes: 64,
    chunk: 4096,
    backend: 'ts',
    delayMs: 0,
    diagnostics: false,
  };
  return runTask(req);
}

describe('worker failures name the file that failed', () => {
  it('a system read error on an input (EISDIR) names that input and its tensor, not the output', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const res = await run(linearTask([loc(good, 'w (good)'), loc(folder, 'model.layers.0.mlp.up_proj.weight (b)')]));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.failure).toMatchObject({ kind: 'input', file: folder, tensor: 'model.layers.0.mlp.up_proj.weight (b)' });
    expect(res.failure.message).toContain(folder);
    expect(res.failure.message).toContain('EISDIR');
  });

  it('an input shorter than its header says names that input and its tensor', async () => {
    const short = join(dir, 'short.bin');
    writeFileSync(short, Buffer.alloc(12));
    const res = await run(linearTask([loc(short, 'w (short)')]));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.failure).toMatchObject({ kind: 'input', file: short, tensor: 'w (short)' });
    expect(res.failure.message).toMatch(/unexpected end of file/);
  });

  it('a copied tensor whose input cannot be read names the input', async () => {
    const short = join(dir, 'short-copy.bin');
    writeFileSync(short, Buffer.alloc(3));
    const task: CopyTask = { kind: 'copy', name: 'model.layers.0.ids', from: loc(short, 'ids (base)'), byteLength: 32, out: { file: out, offset: 0, dtype: 'I64' } };
    const res = await run(task);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.failure).toMatchObject({ kind: 'input', file: short, tensor: 'ids (base)' });
  });

  it('a write error still names the output file', async () => {
    const outFolder = join(dir, 'out-folder');
    mkdirSync(outFolder);
    const res = await run(linearTask([loc(good, 'w (good)')], outFolder));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.failure).toMatchObject({ kind: 'input', file: outFolder });
  });
});
