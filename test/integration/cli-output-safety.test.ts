/**
 * Inputs are never written, whatever --out names: the recipe, a model's config.json, the folder
 * holding the recipe, an align input's files. Without --force, an output that appears while a run
 * is writing is left alone; and a chain's stages folder may not be the output.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, runCli, expectRefusedKeeping } from './cli.js';
import { startPaused, tempsIn } from './run-control.js';

let dir: string;
let recipe: string;
const LINEAR = 'merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 0.5}\n  - model: b\n    parameters: {weight: 0.5}\n';

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-output-safety');
  await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), seed: 1 });
  await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), seed: 2 });
  recipe = join(dir, 'models', 'linear.yaml');
  await writeFile(recipe, LINEAR);
});
afterAll(removeTempDirs);

describe('an output over a file the run reads is refused, even with --force', () => {
  it('the recipe itself', async () => {
    await expectRefusedKeeping(['merge', recipe, '--out', recipe, '--force'], recipe, /would overwrite the input .*linear\.yaml/);
  });
  it("a model's config.json", async () => {
    const config = join(dir, 'models', 'a', 'config.json');
    await expectRefusedKeeping(['merge', recipe, '--out', config, '--force'], config, /would overwrite the input .*config\.json/);
  });
  it('the folder holding the recipe (models elsewhere)', async () => {
    const folder = join(dir, 'recipes');
    await mkdir(folder, { recursive: true });
    const r = join(folder, 'r.yaml');
    await writeFile(r, LINEAR);
    await expectRefusedKeeping(['merge', r, '--out', folder, '--force', '--models-root', join(dir, 'models')], r, /would overwrite the input .*r\.yaml/);
  });
  it("align: an input's config.json", async () => {
    const config = join(dir, 'models', 'b', 'config.json');
    await expectRefusedKeeping(['align', join(dir, 'models', 'a'), join(dir, 'models', 'b'), '--out', config, '--force'], config, /would overwrite the input .*config\.json/);
  });
});

describe('an output that appears while the run writes', () => {
  it('is left as it is without --force: exit 2, its files kept, nothing staged left', async () => {
    const parent = join(dir, 'race');
    await mkdir(parent, { recursive: true });
    const out = join(parent, 'out');
    const run = await startPaused(['merge', recipe, '--out', out], 'before-rename', join(parent, 'marker'));
    await mkdir(out);
    writeFileSync(join(out, 'important.txt'), 'mine');
    writeFileSync(`${run.marker}.continue`, '');
    const r = await run.done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('appeared while the merge was running');
    expect(readdirSync(out)).toEqual(['important.txt']);
    expect(readFileSync(join(out, 'important.txt'), 'utf8')).toBe('mine');
    expect(tempsIn(parent)).toEqual([]);
  });
});

describe("a chain's stages folder", () => {
  it('may not be the output: refused before the first stage runs', async () => {
    const chain = join(dir, 'models', 'chain.yaml');
    await writeFile(chain, `name: soup\n${LINEAR}---\nmerge_method: linear\nmodels:\n  - model: soup\n    parameters: {weight: 0.5}\n  - model: a\n    parameters: {weight: 0.5}\n`);
    const out = join(dir, 'chain-out');
    const r = await runCli(['merge', chain, '--out', out, '--intermediate-dir', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('must not be one inside the other');
    expect(existsSync(out)).toBe(false);
  });
});
