/**
 * Recipe and graph files on the command line: an export never replaces a file that is not a recipe
 * (a model's weights, a project), an import never replaces one that is not a project (its own YAML),
 * and a version 1 project (the prototype's files, which carry no `format`) merges like a current one.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli, expectRefusedKeeping } from './cli.js';

let dir: string;
let recipe: string;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-recipe-files');
  await makeLlamaCheckpoint({ dir: join(dir, 'a'), seed: 1 });
  await makeLlamaCheckpoint({ dir: join(dir, 'b'), seed: 2 });
  recipe = join(dir, 'soup.yaml');
  await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0.5}\n  - model: b\n    parameters: {weight: 0.5}\n');
});
afterAll(removeTempDirs);

describe('files that are not what a command writes are refused, unchanged', () => {
  it("export-yaml over a model's weights", async () => {
    const weights = join(dir, 'a', 'model.safetensors');
    await expectRefusedKeeping(['export-yaml', recipe, '--out', weights], weights, 'is not a YAML file');
  });
  it('recipe import over the YAML it reads', async () => {
    await expectRefusedKeeping(['recipe', 'import', recipe, '--out', recipe], recipe, 'is not a Crucible project');
  });
  it('recipe export over the project it reads', async () => {
    const graph = join(dir, 'graph.crucible.json');
    const made = await runCli(['recipe', 'import', recipe, '--out', graph]);
    expect(made.code, made.stderr).toBe(0);
    await expectRefusedKeeping(['recipe', 'export', graph, '--out', graph], graph, 'is not a YAML file');
    // A project is replaced by a project: importing again over it is fine.
    expect((await runCli(['recipe', 'import', recipe, '--out', graph])).code).toBe(0);
  });
});

describe('a version 1 project', () => {
  it('merges: the weighted mean of its two models', async () => {
    const project = join(dir, 'v1.crucible.json');
    const out = join(dir, 'v1-out');
    await writeFile(
      project,
      JSON.stringify({
        version: 1,
        name: 'soup from the prototype',
        nodes: [
          { id: 'a', type: 'model', x: 0, y: 0, path: join(dir, 'a') },
          { id: 'b', type: 'model', x: 0, y: 150, path: join(dir, 'b') },
          { id: 'm', type: 'merge', x: 300, y: 100, method: 'linear', params: {} },
          { id: 'out', type: 'output', x: 600, y: 100, path: out, dtype: 'fp32' },
        ],
        edges: [
          { from: 'a', to: 'm', fromPort: 'weights', toPort: 'models', params: { weight: 1 } },
          { from: 'b', to: 'm', fromPort: 'weights', toPort: 'models', params: { weight: 3 } },
          { from: 'm', to: 'out', fromPort: 'weights', toPort: 'weights' },
        ],
      }),
    );
    const r = await runCli(['merge', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('is a version 1 project');
    const [a, b, got] = await Promise.all([readCheckpointF32(join(dir, 'a')), readCheckpointF32(join(dir, 'b')), readCheckpointF32(out)]);
    const fr = Math.fround;
    const name = 'model.layers.0.mlp.up_proj.weight';
    const va = a.get(name)!;
    const vb = b.get(name)!;
    // linear, normalize on: (1·a + 3·b) / 4, float32 per operation.
    for (let i = 0; i < va.length; i++) expect(got.get(name)![i]).toBe(fr(fr(fr(fr(1) * va[i]) + fr(fr(3) * vb[i])) / fr(4)));
  });
});
