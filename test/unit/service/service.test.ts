import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { JobSpec } from '../../../common/contract/run.js';
import type { Project } from '../../../common/graph/project-schema.js';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { stubEngine, type StubOptions } from './stub-engine.js';

let dir: string;
let service: Service;
let events: ServiceEvent[];

function make(o: StubOptions = {}): ReturnType<typeof stubEngine> {
  const engine = stubEngine(o);
  service = createService({ engine, configDir: join(dir, 'config'), assetsDir: join(dir, 'assets'), host: 'web', version: '1.0.0' });
  events = [];
  service.onEvent((e) => events.push(e));
  return engine;
}

function job(out: string): JobSpec {
  return { recipe: { mergeMethod: 'linear', models: [{ model: 'a', parameters: { weight: 1 } }] }, recipeDir: dir, out, force: false, mergeNodeId: 'm1', outputNodeId: 'o1' };
}

async function until(pred: () => boolean): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > 5000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const project: Project = {
  format: 'crucible-project',
  version: 2,
  name: 'p',
  nodes: [{ id: 'a', position: { x: 1, y: 2 }, data: { kind: 'model', path: '/m/a' } }],
  edges: [],
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crucible-service-'));
});
afterEach(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('jobs', () => {
  it('runs a job: started with the pre-flight, tensor events in order, finished with the result', async () => {
    const engine = make();
    const { jobId } = await service.api['run.start']({ job: job(join(dir, 'out')) });
    await until(() => events.some((e) => e.kind === 'job.finished'));
    const kinds = events.map((e) => (e.kind === 'job.event' ? e.event.type : e.kind));
    expect(kinds[0]).toBe('job.started');
    expect(kinds.filter((k) => k === 'tensor')).toHaveLength(4);
    expect(kinds[kinds.length - 1]).toBe('job.finished');
    expect(events.every((e) => 'jobId' in e && e.jobId === jobId)).toBe(true);
    const finished = events.find((e) => e.kind === 'job.finished');
    expect(finished).toMatchObject({ result: { tensors: 4, dtype: 'F32' } });
    // Relative outputs resolve against the project folder; the seed and shard size pass through.
    expect(engine.calls.at(-1)?.out).toBe(join(dir, 'out'));
    expect(engine.calls.at(-1)?.testDelayMsPerTensor).toBeUndefined();
  });

  it('cancel mid-run leaves no output folder and reports the job cancelled', async () => {
    make({ delayMs: 30 });
    const out = join(dir, 'cancelled-out');
    const { jobId } = await service.api['run.start']({ job: job(out) });
    await until(() => events.some((e) => e.kind === 'job.event' && e.event.type === 'tensor'));
    expect(await service.api['run.cancel']({ jobId })).toEqual({ cancelled: true });
    await until(() => events.some((e) => e.kind === 'job.cancelled'));
    expect(existsSync(out)).toBe(false);
    expect(events.some((e) => e.kind === 'job.finished')).toBe(false);
  });

  it('refuses a job whose output would not fit on disk, with both sizes in the message', async () => {
    make({ freeDisk: 1024, bytesToWrite: 5 * 1024 ** 3 });
    await service.api['run.start']({ job: job(join(dir, 'big')) });
    await until(() => events.some((e) => e.kind === 'job.failed'));
    const failed = events.find((e) => e.kind === 'job.failed');
    expect(failed).toMatchObject({ error: { kind: 'input', nodeId: 'o1' } });
    if (failed?.kind === 'job.failed') expect(failed.error.message).toMatch(/5\.00 GiB.*1\.00 KiB/);
  });

  it('a failing merge is reported on its merge node, naming file and tensor', async () => {
    const err = Object.assign(new Error('shape mismatch in model.layers.0.mlp.up_proj.weight'), { name: 'InputError', file: '/m/b/model.safetensors', tensor: 'model.layers.0.mlp.up_proj.weight' });
    make({ failWith: err });
    await service.api['run.start']({ job: job(join(dir, 'x')) });
    await until(() => events.some((e) => e.kind === 'job.failed'));
    expect(events.find((e) => e.kind === 'job.failed')).toMatchObject({
      error: { kind: 'input', file: '/m/b/model.safetensors', tensor: 'model.layers.0.mlp.up_proj.weight', nodeId: 'm1' },
    });
  });

  it('queues jobs: the second starts after the first', async () => {
    make({ delayMs: 5 });
    const a = await service.api['run.start']({ job: job(join(dir, 'a')) });
    const b = await service.api['run.start']({ job: job(join(dir, 'b')) });
    await until(() => events.filter((e) => e.kind === 'job.finished').length === 2);
    const order = events.filter((e) => e.kind === 'job.started' || e.kind === 'job.finished').map((e) => `${e.kind}:${e.jobId === a.jobId ? 'a' : e.jobId === b.jobId ? 'b' : '?'}`);
    expect(order).toEqual(['job.started:a', 'job.finished:a', 'job.started:b', 'job.finished:b']);
  });
});

describe('projects, autosave, recent', () => {
  it('saves and loads a project, and lists it as recent', async () => {
    make();
    const path = join(dir, 'p.crucible.json');
    await service.api['project.save']({ path, project });
    const loaded = await service.api['project.load']({ path });
    expect(loaded).toEqual({ project, path, migratedFrom: null });
    expect((await service.api['project.recent']({})).paths).toEqual([path]);
  });

  it('migrates a version 1 file on load', async () => {
    make();
    const path = join(dir, 'old.crucible.json');
    await writeFile(path, JSON.stringify({ version: 1, nodes: [{ id: 'a', type: 'model', x: 0, y: 0, path: '/m/a' }], edges: [] }));
    const loaded = await service.api['project.load']({ path });
    expect(loaded.migratedFrom).toBe(1);
    expect(loaded.project.nodes[0]).toEqual({ id: 'a', position: { x: 0, y: 0 }, data: { kind: 'model', path: '/m/a' } });
  });

  it('an invalid project file is refused with a message naming the file', async () => {
    make();
    const path = join(dir, 'bad.crucible.json');
    await writeFile(path, JSON.stringify({ ...project, nodes: [{ id: 'a', position: { x: 0, y: 0 }, data: { kind: 'model' } }] }));
    await expect(service.api['project.load']({ path })).rejects.toMatchObject({ error: { kind: 'input', file: path } });
    await expect(service.api['project.load']({ path })).rejects.toThrow(path);
  });

  it('autosave survives a restart of the service (a crash) and a save clears it', async () => {
    make();
    await service.api['autosave.write']({ project, path: null });
    await service.close();
    make();
    const { saved } = await service.api['autosave.read']({});
    expect(saved?.project).toEqual(project);
    await service.api['project.save']({ path: join(dir, 'x.crucible.json'), project });
    expect((await service.api['autosave.read']({})).saved).toBeNull();
  });

  it('a corrupt autosave is set aside, not offered', async () => {
    make();
    await mkdir(join(dir, 'config'), { recursive: true });
    await writeFile(join(dir, 'config', 'autosave.crucible.json'), '{"savedAt": 1');
    expect((await service.api['autosave.read']({})).saved).toBeNull();
  });
});

describe('headers and paths', () => {
  it('summarises a checkpoint header without tensor data', async () => {
    make();
    const s = await service.api['checkpoint.open']({ path: 'models/a', baseDir: dir });
    expect(s).toMatchObject({ path: join(dir, 'models/a'), architecture: 'LlamaForCausalLM', layerCount: 1, parameterCount: 10, dtype: 'BF16', fileCount: 1 });
    expect(s.tensors.find((t) => t.name === 'model.layers.0.mlp.up_proj.weight')).toEqual({ name: 'model.layers.0.mlp.up_proj.weight', shape: [4, 2], dtype: 'BF16', layer: 0, group: 'mlp' });
    expect(s.tensors.find((t) => t.name === 'model.norm.weight')).toMatchObject({ layer: null, group: 'norm' });
  });

  it('completes paths: folders first, then model and recipe files, hidden files only when asked', async () => {
    make();
    await mkdir(join(dir, 'models', 'llama'), { recursive: true });
    await mkdir(join(dir, 'models', 'lora'), { recursive: true });
    await writeFile(join(dir, 'models', 'l.safetensors'), '');
    await writeFile(join(dir, 'models', 'l.txt'), '');
    await mkdir(join(dir, 'models', '.lcache'));
    const { entries } = await service.api['path.complete']({ partial: join(dir, 'models', 'l') });
    expect(entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['dir:llama', 'dir:lora', 'file:l.safetensors']);
    const all = await service.api['path.complete']({ partial: join(dir, 'models') + '/' });
    expect(all.entries.map((e) => e.name)).not.toContain('.lcache');
    expect((await service.api['path.complete']({ partial: join(dir, 'nope', 'x') })).entries).toEqual([]);
    expect(await readdir(join(dir, 'models'))).toHaveLength(5);
  });
});

describe('pre-flight', () => {
  it('measures free space on the nearest existing folder when the engine cannot', async () => {
    const engine = make({ freeDisk: Infinity });
    void engine;
    const pf = await service.api['run.preflight']({ job: job(join(dir, 'not', 'yet', 'there')) });
    expect(Number.isFinite(pf.freeDisk)).toBe(true);
    expect(pf.freeDisk).toBeGreaterThan(0);
    expect(pf.fitsOnDisk).toBe(true);
  });
});
