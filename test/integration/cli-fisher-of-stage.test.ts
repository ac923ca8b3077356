/**
 * A mergekit-multi chain whose final Fisher merge reads an earlier stage's result (`model: soup` with
 * `fisher: FILE`), as a user runs it: the YAML through `crucible merge`, the graph `recipe import`
 * makes of it through `crucible merge`, and that graph exported back to YAML. Expected values are
 * computed here: the stage is the normalised linear mean (w_a x_a + w_b x_b) / (w_a + w_b), stored as
 * F32, and the Fisher merge is Σ w (F + ε) x / Σ w (F + ε) with ε = 1e-8 (spec §4) over that stage and C.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFisherFile } from '../../electron/engine/fisher/fisher-file.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { compileOutput } from '../../common/graph/compile.js';
import type { Project } from '../../common/graph/project-schema.js';
import { assertBuilt, runCli } from './cli.js';
import { runJobToEnd, stageEvents, withRealService } from './real-service.js';

let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;
let c: BuiltCheckpoint;

const LINEAR = [1, 3];
const FISHER_WEIGHTS = [1, 2];
const EPS = 1e-8;
/** Element k's Fisher: the stage's dominates on every third element, C's on the next, equal (0.25) on the rest. */
const fisherSoup = (k: number) => (k % 3 === 0 ? 1e6 : k % 3 === 1 ? 0 : 0.25);
const fisherC = (k: number) => (k % 3 === 0 ? 0 : k % 3 === 1 ? 1e6 : 0.25);

const CHAIN = [
  'name: soup',
  'merge_method: linear',
  'models:',
  '  - model: models/a',
  `    parameters: {weight: ${LINEAR[0]}}`,
  '  - model: models/b',
  `    parameters: {weight: ${LINEAR[1]}}`,
  '---',
  'merge_method: fisher',
  'models:',
  '  - model: soup',
  '    fisher: soup.fisher.safetensors',
  `    parameters: {weight: ${FISHER_WEIGHTS[0]}}`,
  '  - model: models/c',
  '    fisher: c.fisher.safetensors',
  `    parameters: {weight: ${FISHER_WEIGHTS[1]}}`,
  '',
].join('\n');

async function fisherFile(name: string, shapesOf: BuiltCheckpoint, value: (k: number) => number): Promise<void> {
  const tensors = [...shapesOf.tensors].map(([t, v]) => ({ name: t, shape: shapesOf.shapes.get(t)!, values: Float32Array.from(v, (_, k) => value(k)) }));
  await writeFisherFile(join(dir, name), tensors, { estimator: 'hand-made', model: shapesOf.dir, count: 1, sources: [] });
}

function expectedValue(name: string, k: number): number {
  const stage = Math.fround((LINEAR[0] * a.tensors.get(name)![k] + LINEAR[1] * b.tensors.get(name)![k]) / (LINEAR[0] + LINEAR[1]));
  const ws = FISHER_WEIGHTS[0] * (fisherSoup(k) + EPS);
  const wc = FISHER_WEIGHTS[1] * (fisherC(k) + EPS);
  return (ws * stage + wc * c.tensors.get(name)![k]) / (ws + wc);
}

async function expectMerged(out: string): Promise<Map<string, Float32Array>> {
  const got = await readCheckpointF32(out);
  expect(got.size).toBe(a.tensors.size);
  for (const name of a.tensors.keys()) {
    const v = got.get(name)!;
    for (let k = 0; k < v.length; k++) {
      const want = expectedValue(name, k);
      if (!(Math.abs(v[k] - want) <= 1e-6 * Math.max(1, Math.abs(want)))) throw new Error(`${out} ${name}[${k}]: ${v[k]} ≠ ${want}`);
    }
  }
  return got;
}

function expectSameBits(x: Map<string, Float32Array>, y: Map<string, Float32Array>): void {
  expect([...y.keys()]).toEqual([...x.keys()]);
  for (const [name, v] of x) expect(Buffer.from(y.get(name)!.buffer).equals(Buffer.from(v.buffer)), name).toBe(true);
}

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-fisher-of-stage');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 2, seed: 21 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 2, seed: 22 });
  c = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'c'), layers: 2, seed: 23 });
  // The stage's Fisher has the stage's names and shapes: those of its models.
  await fisherFile('soup.fisher.safetensors', a, fisherSoup);
  await fisherFile('c.fisher.safetensors', c, fisherC);
  await writeFile(join(dir, 'chain.yaml'), CHAIN);
});
afterAll(removeTempDirs);

describe('a chain whose Fisher merge reads an earlier stage’s result, with a Fisher file for it', () => {
  it('YAML, its imported graph, and that graph exported to YAML all merge to the values computed here, bit for bit the same', async () => {
    const yamlRun = await runCli(['merge', join(dir, 'chain.yaml'), '--out', join(dir, 'outs', 'yaml')]);
    expect(yamlRun.code, yamlRun.stderr).toBe(0);
    const fromYaml = await expectMerged(join(dir, 'outs', 'yaml'));

    const graph = join(dir, 'chain.crucible.json');
    const imported = await runCli(['recipe', 'import', join(dir, 'chain.yaml'), '--out', graph]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toMatch(/Fisher|cannot run/);
    const graphRun = await runCli(['merge', graph, '--out', join(dir, 'outs', 'graph')]);
    expect(graphRun.code, graphRun.stdout + graphRun.stderr).toBe(0);
    expectSameBits(fromYaml, await expectMerged(join(dir, 'outs', 'graph')));

    const exported = join(dir, 'exported.yaml');
    const exportRun = await runCli(['recipe', 'export', graph, '--out', exported]);
    expect(exportRun.code, exportRun.stderr).toBe(0);
    const text = readFileSync(exported, 'utf8');
    expect(text).toMatch(/name: soup/);
    expect(text).toMatch(/- model: soup\s+fisher: soup\.fisher\.safetensors/);
    const exportedRun = await runCli(['merge', exported, '--out', join(dir, 'outs', 'exported')]);
    expect(exportedRun.code, exportedRun.stderr).toBe(0);
    expectSameBits(fromYaml, await readCheckpointF32(join(dir, 'outs', 'exported')));

    // Re-importing the export gives a graph that runs to the same bits.
    const again = join(dir, 'again.crucible.json');
    expect((await runCli(['recipe', 'import', exported, '--out', again])).code).toBe(0);
    const againRun = await runCli(['merge', again, '--out', join(dir, 'outs', 'again')]);
    expect(againRun.code, againRun.stderr).toBe(0);
    expectSameBits(fromYaml, await readCheckpointF32(join(dir, 'outs', 'again')));
  });

  it('through the service, as the app runs the imported graph: pre-flight passes, the stage runs first (stage events on the merge nodes), the bits are the YAML’s', async () => {
    const graph = join(dir, 'service.crucible.json');
    expect((await runCli(['recipe', 'import', join(dir, 'chain.yaml'), '--out', graph])).code).toBe(0);
    const project = JSON.parse(readFileSync(graph, 'utf8')) as Project;
    const outputNode = project.nodes.find((n) => n.data.kind === 'output')!;
    const compiled = compileOutput(project, outputNode.id);
    if (!compiled.ok) throw new Error(compiled.reason);
    const out = join(dir, 'outs', 'service');
    const job = {
      recipe: compiled.job.recipe,
      stages: (compiled.job.stages ?? []).map((s) => ({ recipe: s.recipe, mergeNodeId: s.mergeNodeId })),
      recipeDir: dir,
      out,
      force: false,
      mergeNodeId: compiled.job.mergeNodeId,
      outputNodeId: compiled.job.outputNodeId,
    };
    expect(job.stages.map((s) => s.recipe.name)).toEqual(['soup']);
    await withRealService(join(dir, 'config'), async (service, events) => {
      const pf = await service.api['run.preflight']({ job });
      expect(pf.tensors).toBe(a.tensors.size);
      const { jobId, end } = await runJobToEnd(service, events, job);
      expect(end?.kind, JSON.stringify(end)).toBe('job.finished');
      expect(stageEvents(events, jobId)).toEqual([
        { type: 'stage', index: 1, count: 2, name: 'soup', mergeNodeId: job.stages[0].mergeNodeId },
        { type: 'stage', index: 2, count: 2, name: null, mergeNodeId: job.mergeNodeId },
      ]);
    });
    const yamlOut = join(dir, 'outs', 'yaml-for-service');
    expect((await runCli(['merge', join(dir, 'chain.yaml'), '--out', yamlOut])).code).toBe(0);
    expectSameBits(await readCheckpointF32(yamlOut), await expectMerged(out));
  });

  it('in the slices: form (a Layer assembly), the imported graph merges to the YAML’s bits, its layers by the formula', async () => {
    const sliced = CHAIN.replace(
      /merge_method: fisher\n[\s\S]*$/,
      [
        'merge_method: fisher',
        'slices:',
        '  - sources:',
        '      - model: soup',
        '        layer_range: [0, 2]',
        '        fisher: soup.fisher.safetensors',
        `        parameters: {weight: ${FISHER_WEIGHTS[0]}}`,
        '      - model: models/c',
        '        layer_range: [0, 2]',
        '        fisher: c.fisher.safetensors',
        `        parameters: {weight: ${FISHER_WEIGHTS[1]}}`,
        '',
      ].join('\n'),
    );
    await writeFile(join(dir, 'sliced.yaml'), sliced);
    const yamlRun = await runCli(['merge', join(dir, 'sliced.yaml'), '--out', join(dir, 'outs', 'sliced-yaml')]);
    expect(yamlRun.code, yamlRun.stderr).toBe(0);
    const graph = join(dir, 'sliced.crucible.json');
    const imported = await runCli(['recipe', 'import', join(dir, 'sliced.yaml'), '--out', graph]);
    expect(imported.code, imported.stderr).toBe(0);
    const graphRun = await runCli(['merge', graph, '--out', join(dir, 'outs', 'sliced-graph')]);
    expect(graphRun.code, graphRun.stdout + graphRun.stderr).toBe(0);
    const fromYaml = await readCheckpointF32(join(dir, 'outs', 'sliced-yaml'));
    expectSameBits(fromYaml, await readCheckpointF32(join(dir, 'outs', 'sliced-graph')));
    for (const [name, v] of fromYaml) {
      if (!name.startsWith('model.layers.')) continue;
      for (let k = 0; k < v.length; k++) {
        const want = expectedValue(name, k);
        if (!(Math.abs(v[k] - want) <= 1e-6 * Math.max(1, Math.abs(want)))) throw new Error(`${name}[${k}]: ${v[k]} ≠ ${want}`);
      }
    }
  });
});
