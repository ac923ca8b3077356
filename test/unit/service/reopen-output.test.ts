/**
 * "Open recipe from output folder" through the service with the real engine: an output made from
 * an editor graph is reopened by path (folder or one of its files) with an input that moved found
 * by header hash, a deleted input reported as missing on its node, and the graph otherwise as it
 * was; a checkpoint Crucible did not write is refused naming its file; an output whose graph has a
 * LoRA node records base and adapter (not the run's overlay) and reopens with a moved adapter.
 * Expected paths and hashes are computed here from the files on disk.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReopenResultSchema } from '../../../common/contract/reopen.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { compileOutput } from '../../../common/graph/compile.js';
import type { NodeData, Project } from '../../../common/graph/project-schema.js';
import { openCheckpoint } from '../../../electron/engine/io/checkpoint.js';
import { extractGraph } from '../../../electron/engine/provenance/extract-graph.js';
import { runMerge } from '../../../electron/engine/run/run-merge.js';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { realEngine } from '../../../electron/service/real-engine.js';
import { makeLlamaCheckpoint } from '../../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

const FIX = join(import.meta.dirname, '../../fixtures');
const ASSETS = join(import.meta.dirname, '../../../assets');

let dir: string;
let service: Service;
const events: ServiceEvent[] = [];

function headerSha256(path: string): string {
  const bytes = readFileSync(path);
  return createHash('sha256').update(bytes.subarray(0, 8 + Number(bytes.readBigUInt64LE(0)))).digest('hex');
}

function project(name: string, nodes: [string, NodeData][], edges: [string, string, string, string][]): Project {
  return {
    format: 'crucible-project',
    version: 2,
    name,
    nodes: nodes.map(([id, data], i) => ({ id, position: { x: i * 200, y: 0 }, data })),
    edges: edges.map(([source, sourceHandle, target, targetHandle]) => ({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle, target, targetHandle })),
  };
}

/** Runs the graph's output as the app does (run.start with the graph as provenance) and waits for it. */
async function runInApp(graph: Project): Promise<void> {
  const c = compileOutput(graph, graph.nodes.find((n) => n.data.kind === 'output')!.id);
  if (!c.ok) throw new Error(c.reason);
  const { jobId } = await service.api['run.start']({
    job: { recipe: c.job.recipe, recipeDir: dir, out: c.job.out, force: false, seed: c.job.seed, mergeNodeId: c.job.mergeNodeId, outputNodeId: c.job.outputNodeId, graph },
  });
  const start = Date.now();
  for (;;) {
    const end = events.find((e) => 'jobId' in e && e.jobId === jobId && (e.kind === 'job.finished' || e.kind === 'job.failed' || e.kind === 'job.cancelled'));
    if (end?.kind === 'job.finished') return;
    if (end) throw new Error(`job ended: ${JSON.stringify(end)}`);
    if (Date.now() - start > 60_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const output = (folder: string): NodeData => ({ kind: 'output', folder, dtype: 'auto', shardSize: 1 << 30, seed: 7, overwrite: false });

beforeAll(async () => {
  dir = await makeTempDir('reopen-output');
  service = createService({ engine: realEngine(), configDir: join(dir, 'config'), assetsDir: ASSETS, host: 'web', version: 'test' });
  service.onEvent((e) => events.push(e));
});
afterAll(async () => {
  await service.close();
  await removeTempDirs();
});

describe('recipe.extract: a task-arithmetic output with inputs moved and deleted', () => {
  const graph = () =>
    project(
      'three-models',
      [
        ['base', { kind: 'model', path: join(dir, 'models', 'base') }],
        ['a', { kind: 'model', path: join(dir, 'models', 'a') }],
        ['b', { kind: 'model', path: join(dir, 'models', 'b') }],
        ['m', { kind: 'merge', method: 'task_arithmetic', params: {}, modelParams: { a: { weight: 0.5 }, b: { weight: 0.25 } } }],
        ['o', output(join(dir, 'outs', 'merged'))],
      ],
      [
        ['base', 'weights', 'm', 'base'],
        ['a', 'weights', 'm', 'models'],
        ['b', 'weights', 'm', 'models'],
        ['m', 'weights', 'o', 'weights'],
      ],
    );

  beforeAll(async () => {
    await makeLlamaCheckpoint({ dir: join(dir, 'models', 'base'), seed: 1 });
    await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), seed: 2 });
    // b in bfloat16: its header differs from a's, so a moved `a` cannot pass for the deleted b.
    await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), seed: 3, dtype: 'BF16' });
    mkdirSync(join(dir, 'outs'));
    await runInApp(graph());
  });

  it('opens the recorded graph with every input found where it is', async () => {
    const r = ReopenResultSchema.parse(await service.api['recipe.extract']({ path: join(dir, 'outs', 'merged') }));
    expect(r.output).toBe(join(dir, 'outs', 'merged'));
    expect(r.inputs.map((i) => [i.model, i.status, i.path, i.nodeIds])).toEqual([
      [join(dir, 'models', 'base'), 'found', join(dir, 'models', 'base'), ['base']],
      [join(dir, 'models', 'a'), 'found', join(dir, 'models', 'a'), ['a']],
      [join(dir, 'models', 'b'), 'found', join(dir, 'models', 'b'), ['b']],
    ]);
    expect(r.project.nodes).toEqual(graph().nodes);
    expect(r.project.edges).toEqual(graph().edges);
  });

  it('finds a moved input by header hash under the output’s parent folder and reports a deleted one on its node', async () => {
    mkdirSync(join(dir, 'outs', 'moved'));
    renameSync(join(dir, 'models', 'a'), join(dir, 'outs', 'moved', 'a'));
    rmSync(join(dir, 'models', 'b'), { recursive: true });
    // One of the output's files works as well as its folder.
    const r = ReopenResultSchema.parse(await service.api['recipe.extract']({ path: join(dir, 'outs', 'merged', 'model.safetensors') }));
    const [base, a, b] = r.inputs;
    expect(base).toMatchObject({ status: 'found', path: join(dir, 'models', 'base'), nodeIds: ['base'] });
    expect(a).toMatchObject({ status: 'moved', recordedPath: join(dir, 'models', 'a'), path: join(dir, 'outs', 'moved', 'a'), nodeIds: ['a'] });
    expect(b).toMatchObject({ status: 'missing', recordedPath: join(dir, 'models', 'b'), path: null, nodeIds: ['b'] });
    expect(b.reason).toContain(`${join(dir, 'models', 'b')} no longer exists`);
    const byId = new Map(r.project.nodes.map((n) => [n.id, n.data]));
    expect(byId.get('a')).toEqual({ kind: 'model', path: join(dir, 'outs', 'moved', 'a') });
    expect(byId.get('b')).toEqual({ kind: 'model', path: join(dir, 'models', 'b') });
    expect(byId.get('m')).toEqual(graph().nodes.find((n) => n.id === 'm')!.data);
    expect(byId.get('o')).toEqual(graph().nodes.find((n) => n.id === 'o')!.data);

    // The older request answers with the same graph.
    const old = await service.api['project.fromOutput']({ folder: join(dir, 'outs', 'merged') });
    expect(old.project).toEqual(r.project);
  });

  it('a models root given is searched too', async () => {
    mkdirSync(join(dir, 'elsewhere'));
    renameSync(join(dir, 'models', 'base'), join(dir, 'elsewhere', 'base'));
    const r = await service.api['recipe.extract']({ path: join(dir, 'outs', 'merged'), modelsRoot: join(dir, 'elsewhere') });
    expect(r.inputs[0]).toMatchObject({ status: 'moved', path: join(dir, 'elsewhere', 'base'), nodeIds: ['base'] });
  });

  it('refuses a checkpoint Crucible did not write, naming its file', async () => {
    await expect(service.api['recipe.extract']({ path: join(dir, 'outs', 'moved', 'a') })).rejects.toThrow(
      `${join(dir, 'outs', 'moved', 'a', 'model.safetensors')}: no Crucible provenance in its metadata`,
    );
  });

  it('checkpoint summaries say which checkpoints Crucible wrote', async () => {
    expect((await service.api['checkpoint.open']({ path: join(dir, 'outs', 'merged') })).crucibleOutput).toBe('graph');
    expect((await service.api['checkpoint.open']({ path: join(dir, 'outs', 'moved', 'a') })).crucibleOutput).toBeUndefined();
  });
});

describe('an output of a graph with a LoRA node', () => {
  const graph = () =>
    project(
      'with-lora',
      [
        ['base', { kind: 'model', path: join(dir, 'lora', 'base') }],
        ['l', { kind: 'lora', adapter: join(dir, 'lora', 'adapter'), mode: 'model' }],
        ['m', { kind: 'merge', method: 'linear', params: {}, modelParams: { base: { weight: 0.5 }, l: { weight: 0.5 } } }],
        ['o', output(join(dir, 'lora-outs', 'merged'))],
      ],
      [
        ['base', 'weights', 'l', 'base'],
        ['base', 'weights', 'm', 'models'],
        ['l', 'weights', 'm', 'models'],
        ['m', 'weights', 'o', 'weights'],
      ],
    );

  beforeAll(async () => {
    cpSync(join(FIX, 'tiny-llama'), join(dir, 'lora', 'base'), { recursive: true });
    mkdirSync(join(dir, 'lora', 'adapter'));
    for (const f of ['adapter_config.json', 'adapter_model.safetensors']) cpSync(join(FIX, 'tiny-lora', f), join(dir, 'lora', 'adapter', f));
    mkdirSync(join(dir, 'lora-outs'));
    await runInApp(graph());
  });

  it('records its graph, and base and adapter as inputs (the adapter by its adapter_model.safetensors)', async () => {
    const meta = (await openCheckpoint(join(dir, 'lora-outs', 'merged'))).files[0].metadata;
    expect(JSON.parse(meta['crucible.graph'])).toEqual(graph());
    const adapterFile = join(dir, 'lora', 'adapter', 'adapter_model.safetensors');
    const baseFile = join(dir, 'lora', 'base', 'model.safetensors');
    expect(JSON.parse(meta['crucible.inputs'])).toEqual([
      { model: join(dir, 'lora', 'base'), path: join(dir, 'lora', 'base'), files: [{ name: 'model.safetensors', size: readFileSync(baseFile).length, headerSha256: headerSha256(baseFile) }] },
      {
        model: join(dir, 'lora', 'adapter'),
        kind: 'lora',
        path: join(dir, 'lora', 'adapter'),
        files: [{ name: 'adapter_model.safetensors', size: readFileSync(adapterFile).length, headerSha256: headerSha256(adapterFile) }],
      },
    ]);
  });

  it('reopens with the adapter found by header hash after it moved (the LoRA node points at it), and extract does too', async () => {
    mkdirSync(join(dir, 'lora-outs', 'adapters'));
    renameSync(join(dir, 'lora', 'adapter'), join(dir, 'lora-outs', 'adapters', 'adapter'));
    const r = ReopenResultSchema.parse(await service.api['recipe.extract']({ path: join(dir, 'lora-outs', 'merged') }));
    expect(r.inputs.map((i) => [i.kind ?? 'model', i.status, i.path, i.nodeIds])).toEqual([
      ['model', 'found', join(dir, 'lora', 'base'), ['base']],
      ['lora', 'moved', join(dir, 'lora-outs', 'adapters', 'adapter'), ['l']],
    ]);
    expect(r.project.nodes.find((n) => n.id === 'l')!.data).toEqual({ kind: 'lora', adapter: join(dir, 'lora-outs', 'adapters', 'adapter'), mode: 'model' });
    const cli = await extractGraph(join(dir, 'lora-outs', 'merged'));
    expect(cli.graph).toEqual(r.project);
  });
});

describe('an output merged from a recipe (no editor graph)', () => {
  it('reopens the recipe laid out as a graph, its Output node pointing at the output written (not the recorded ./name)', async () => {
    const out = join(dir, 'cli-outs', 'from-recipe');
    mkdirSync(join(dir, 'cli-outs'));
    await runMerge({
      recipe: { mergeMethod: 'linear', models: [{ model: join(FIX, 'tiny-llama'), parameters: { weight: 0.5 } }, { model: join(FIX, 'tiny-llama-bf16'), parameters: { weight: 0.5 } }], name: 'blend' },
      recipeDir: dir,
      out,
    });
    expect(JSON.parse((await openCheckpoint(out)).files[0].metadata['crucible.graph']).nodes.find((n: { data: { kind: string } }) => n.data.kind === 'output').data.folder).toBe('./blend');
    const r = await service.api['recipe.extract']({ path: out });
    const folders = r.project.nodes.flatMap((n) => (n.data.kind === 'output' ? [n.data.folder] : []));
    expect(folders).toEqual([out]);
    expect(r.inputs.map((i) => i.status)).toEqual(['found', 'found']);
  });
});
