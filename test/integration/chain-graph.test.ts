/**
 * A chain of two merge nodes (a graph) run end to end: through `crucible merge GRAPH.json` and
 * through the service, against the same chain written as mergekit-multi YAML run by
 * `crucible merge`, and against values computed here from the linear formula (float32 per
 * operation). Then the output's provenance: crucible.stages, the model card, `crucible verify`
 * and `crucible recipe extract`. Runs the built code (dist/).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';
import { runJobToEnd, stageEvents, withRealService } from './real-service.js';

const fr = Math.fround;

let dir: string;
let base: BuiltCheckpoint;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('chain-graph');
  base = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'base'), layers: 2, seed: 11 });
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 2, seed: 12 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 2, seed: 13 });
});
afterAll(removeTempDirs);

/**
 * soup = task_arithmetic over base: base + 0.5·(a − base) + 0.25·(b − base)
 * final = linear(soup ×1, base ×3): 0.25·soup + 0.75·base (weights normalized)
 */
const YAML = [
  'name: soup',
  'merge_method: task_arithmetic',
  'base_model: models/base',
  'models:',
  '  - {model: models/a, parameters: {weight: 0.5}}',
  '  - {model: models/b, parameters: {weight: 0.25}}',
  '---',
  'merge_method: linear',
  'models:',
  '  - {model: soup, parameters: {weight: 1}}',
  '  - {model: models/base, parameters: {weight: 3}}',
  '',
].join('\n');

function graph(outFolder: string): unknown {
  return {
    format: 'crucible-project',
    version: 2,
    name: 'chain',
    nodes: [
      { id: 'mbase', position: { x: 0, y: 0 }, data: { kind: 'model', path: 'models/base' } },
      { id: 'ma', position: { x: 0, y: 160 }, data: { kind: 'model', path: 'models/a' } },
      { id: 'mb', position: { x: 0, y: 320 }, data: { kind: 'model', path: 'models/b' } },
      { id: 'ta', position: { x: 380, y: 160 }, data: { kind: 'merge', method: 'task_arithmetic', label: 'soup', params: {}, modelParams: { ma: { weight: 0.5 }, mb: { weight: 0.25 } } } },
      { id: 'lin', position: { x: 760, y: 80 }, data: { kind: 'merge', method: 'linear', params: {}, modelParams: { ta: { weight: 1 }, mbase: { weight: 3 } } } },
      { id: 'out', position: { x: 1140, y: 80 }, data: { kind: 'output', folder: outFolder, dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false } },
    ],
    edges: [
      { id: 'e1', source: 'mbase', sourceHandle: 'weights', target: 'ta', targetHandle: 'base' },
      { id: 'e2', source: 'ma', sourceHandle: 'weights', target: 'ta', targetHandle: 'models' },
      { id: 'e3', source: 'mb', sourceHandle: 'weights', target: 'ta', targetHandle: 'models' },
      { id: 'e4', source: 'ta', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'e5', source: 'mbase', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'e6', source: 'lin', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ],
  };
}

async function sameBits(x: string, y: string): Promise<void> {
  const rx = await readCheckpointRaw(x);
  const ry = await readCheckpointRaw(y);
  expect([...rx.keys()].sort()).toEqual([...ry.keys()].sort());
  for (const [name, t] of rx) expect(Buffer.from(ry.get(name)!.bytes).equals(Buffer.from(t.bytes)), `${name}: ${x} vs ${y}`).toBe(true);
}

async function metadata(folder: string): Promise<Record<string, string>> {
  return (await openCheckpoint(folder)).files[0].metadata;
}

describe('a chain of merge nodes', () => {
  const yamlOut = () => join(dir, 'outs', 'from-yaml');
  const graphOut = () => join(dir, 'outs', 'from-graph');

  it('crucible merge GRAPH.json runs both stages (stage events, temporary folder removed) and writes the bits the mergekit-multi YAML does', async () => {
    await mkdir(join(dir, 'outs'), { recursive: true });
    await writeFile(join(dir, 'chain.yaml'), YAML);
    const y = await runCli(['merge', join(dir, 'chain.yaml'), '--out', yamlOut()]);
    expect(y.code, y.stderr).toBe(0);

    await writeFile(join(dir, 'chain.crucible.json'), JSON.stringify(graph('outs/from-graph'), null, 2));
    const g = await runCli(['merge', join(dir, 'chain.crucible.json'), '--json']);
    expect(g.code, g.stdout + g.stderr).toBe(0);
    const stages = jsonLines(g.stdout).filter((l) => l.type === 'stage');
    expect(stages.map((s) => [s.index, s.count, s.name])).toEqual([
      [1, 2, 'soup'],
      [2, 2, null],
    ]);
    expect(readdirSync(join(dir, 'outs')).sort()).toEqual(['from-graph', 'from-yaml']);
    await sameBits(graphOut(), yamlOut());
  });

  it('is bit-identical to the formula computed here (float32 per operation), for every tensor', async () => {
    const got = await readCheckpointF32(graphOut());
    expect(got.size).toBe(base.tensors.size);
    for (const [name, values] of got) {
      const x = base.tensors.get(name)!;
      const ya = a.tensors.get(name)!;
      const yb = b.tensors.get(name)!;
      for (let i = 0; i < values.length; i++) {
        // Task arithmetic in float32: base + Σ w·(m − base); then linear with weights 1/4, 3/4.
        const soup = fr(x[i] + fr(fr(fr(0.5) * fr(ya[i] - x[i])) + fr(fr(0.25) * fr(yb[i] - x[i]))));
        const want = fr(fr(fr(0.25) * soup) + fr(fr(0.75) * x[i]));
        if (values[i] !== want) throw new Error(`${name}[${i}]: ${values[i]} ≠ ${want}`);
      }
    }
  });

  it('records the whole chain: crucible.stages, the graph, and a model card with both documents and every input', async () => {
    const meta = await metadata(graphOut());
    const stages = JSON.parse(meta['crucible.stages']);
    expect(stages.map((s: { name: string; recipe: { mergeMethod: string } }) => [s.name, s.recipe.mergeMethod])).toEqual([['soup', 'task_arithmetic']]);
    expect(stages[0].inputs.map((i: { model: string }) => i.model)).toEqual(['models/base', 'models/a', 'models/b']);
    expect(JSON.parse(meta['crucible.graph'])).toEqual(graph('outs/from-graph'));
    const card = readFileSync(join(graphOut(), 'README.md'), 'utf8');
    expect(card).toContain('base_model:\n- "models/base"\n- "models/a"\n- "models/b"\nlibrary_name');
    expect(card).toMatch(/```yaml\nname: soup\nmerge_method: task_arithmetic\n[\s\S]*---\nmerge_method: linear\nmodels:\n {2}- model: soup\n/);
    // The YAML run records its chain too, as a graph of two merge nodes.
    const fromYaml = JSON.parse((await metadata(yamlOut()))['crucible.graph']);
    expect(fromYaml.nodes.filter((n: { data: { kind: string } }) => n.data.kind === 'merge').map((n: { data: { label?: string } }) => n.data.label)).toEqual(['soup', undefined]);
  });

  it('crucible verify re-runs the chain from what the output recorded (exit 0)', async () => {
    const v = await runCli(['verify', graphOut()]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('identical: all');
    const vy = await runCli(['verify', yamlOut()]);
    expect(vy.code, vy.stderr).toBe(0);
  });

  it('crucible recipe extract reopens the chain with every input found (after the models moved), and that graph merges to the same bits', async () => {
    const moved = join(dir, 'elsewhere');
    await mkdir(moved);
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'models'), join(moved, 'models'));
    try {
      const extracted = join(dir, 'extracted.crucible.json');
      const r = await runCli(['recipe', 'extract', graphOut(), '--models-root', moved, '--out', extracted]);
      expect(r.code, r.stderr).toBe(0);
      const p = JSON.parse(readFileSync(extracted, 'utf8'));
      const paths = p.nodes.filter((n: { data: { kind: string } }) => n.data.kind === 'model').map((n: { data: { path: string } }) => n.data.path);
      expect(paths.sort()).toEqual(['a', 'b', 'base'].map((m) => join(moved, 'models', m)).sort());
      const again = join(dir, 'outs2', 'again');
      const m = await runCli(['merge', extracted, '--out', again]);
      expect(m.code, m.stderr).toBe(0);
      await sameBits(again, graphOut());
      const v = await runCli(['verify', graphOut(), '--models-root', moved]);
      expect(v.code, v.stderr).toBe(0);
    } finally {
      await rename(join(moved, 'models'), join(dir, 'models'));
    }
  });

  it('crucible recipe export writes the chain as mergekit-multi documents that merge to the same bits', async () => {
    const out = join(dir, 'exported.yaml');
    const e = await runCli(['recipe', 'export', join(dir, 'chain.crucible.json'), '--out', out]);
    expect(e.code, e.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split(/^---$/m)).toHaveLength(2);
    expect(text).toMatch(/^name: soup$/m);
    const m = await runCli(['merge', out, '--out', join(dir, 'outs3', 'exported')]);
    expect(m.code, m.stderr).toBe(0);
    await sameBits(join(dir, 'outs3', 'exported'), yamlOut());
  });

  it('through the service: a job with stages runs them (stage events naming the merge nodes) and writes the same bits; no temporary folder is left', async () => {
    await withRealService(join(dir, 'config'), async (service, events) => {
      await mkdir(join(dir, 'outs4'));
      const out = join(dir, 'outs4', 'service');
      const job = {
        recipe: { mergeMethod: 'linear', models: [{ model: 'soup', parameters: { weight: 1 } }, { model: 'models/base', parameters: { weight: 3 } }] },
        stages: [
          {
            recipe: { name: 'soup', mergeMethod: 'task_arithmetic', baseModel: 'models/base', models: [{ model: 'models/a', parameters: { weight: 0.5 } }, { model: 'models/b', parameters: { weight: 0.25 } }] },
            mergeNodeId: 'ta',
          },
        ],
        recipeDir: dir,
        out,
        force: false,
        mergeNodeId: 'lin',
        outputNodeId: 'out',
      };
      const pf = await service.api['run.preflight']({ job });
      expect(pf.tensors).toBe(base.tensors.size);
      const { jobId, end } = await runJobToEnd(service, events, job);
      expect(end?.kind, JSON.stringify(end)).toBe('job.finished');
      expect(stageEvents(events, jobId)).toEqual([
        { type: 'stage', index: 1, count: 2, name: 'soup', mergeNodeId: 'ta' },
        { type: 'stage', index: 2, count: 2, name: null, mergeNodeId: 'lin' },
      ]);
      expect(readdirSync(join(dir, 'outs4'))).toEqual(['service']);
      await sameBits(out, yamlOut());
    });
  });

  it('through the service: a failing stage is reported on its merge node, and nothing is left', async () => {
    await withRealService(join(dir, 'config2'), async (service, events) => {
      await mkdir(join(dir, 'outs5'));
      const job = {
        recipe: { mergeMethod: 'linear', models: [{ model: 'soup', parameters: { weight: 1 } }, { model: 'models/base', parameters: { weight: 1 } }] },
        // The stage reads a model that is not there.
        stages: [
          {
            recipe: { name: 'soup', mergeMethod: 'linear', models: [{ model: 'models/a', parameters: { weight: 1 } }, { model: 'models/nowhere', parameters: { weight: 1 } }] },
            mergeNodeId: 'bad',
          },
        ],
        recipeDir: dir,
        out: join(dir, 'outs5', 'never'),
        force: false,
        mergeNodeId: 'lin',
      };
      const { end } = await runJobToEnd(service, events, job, 60_000);
      expect(end?.kind, JSON.stringify(events.filter((e) => e.kind !== 'job.event'))).toBe('job.failed');
      expect(end?.error?.nodeId).toBe('bad');
      expect(end?.error?.message).toMatch(/^stage 'soup': /);
      expect(existsSync(join(dir, 'outs5', 'never'))).toBe(false);
      expect(readdirSync(join(dir, 'outs5'))).toEqual([]);
    });
  });
});
