/**
 * A mergekit-multi recipe through the in-page menu: imported by path, it shows as a chain (the
 * named stage's merge node feeding the final merge node); Run shows each stage, Cancel during the
 * first stage leaves nothing behind, and a run to completion writes the bits `crucible merge`
 * writes from the same YAML. Exported from the editor, each stage keeps its dtype key as written.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { answerPathPrompt, importYamlOverDemo, menu, nodeByTitle } from './editor-helpers.js';
import { DEMO_SOUP_LINES } from './demo-recipes.js';
import { readTensors } from './safetensors-compare.js';

const CHAIN = [
  '# stage 1: a soup of the two fine-tunes',
  'name: soup',
  ...DEMO_SOUP_LINES,
  '# the stage is written in float16 (shown on its node; the final merge reads it as such)',
  'out_dtype: float16',
  '---',
  '# the result: the soup as a task vector over the base',
  'merge_method: task_arithmetic',
  `base_model: ${join(DEMO_MODELS, 'base')}`,
  'models:',
  '  - model: soup',
  '    parameters: {weight: 0.8}',
  'dtype: float32',
  '',
].join('\n');

test('a mergekit-multi YAML imports as a chain of two merge nodes and runs stage by stage to the bits crucible merge writes', async ({ page, slowHost: host }) => {
  const yaml = join(host.home, 'chain.yaml');
  writeFileSync(yaml, CHAIN);
  await openApp(page, host);
  await importYamlOverDemo(page, yaml);

  // Models math, code, base; the stage 'soup'; the final merge; the Output.
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  const stage = page.locator('.react-flow__node').filter({ has: page.getByRole('textbox', { name: 'Stage name' }).and(page.locator('[value="soup"]')) });
  await expect(stage).toHaveCount(1);
  await expect(stage.getByRole('combobox', { name: 'Merge method' })).toHaveValue('linear');
  // The stage's own dtype is on its node; the final merge's is the Output's (empty on the node).
  await expect(stage.getByRole('combobox', { name: 'Stage dtype' })).toHaveValue('float16');
  const final = page.locator('.react-flow__node').filter({ has: page.getByRole('combobox', { name: 'Merge method' }).and(page.locator('select:has(option[value="task_arithmetic"]:checked)')) });
  await expect(final).toHaveCount(1);
  await expect(final.getByRole('combobox', { name: 'Stage dtype' })).toHaveValue('');
  // The stage's result feeds the final merge's Models (an edge between the two merge nodes).
  await expect(page.getByTestId('rf__edge-e-merge-1-merge-2-models')).toHaveCount(1);
  await expect(final.getByRole('spinbutton', { name: 'Weight of soup (Linear (model soup))' })).toHaveValue('0.8');

  const outputs = join(host.home, 'crucible-output');
  const run = page.getByRole('button', { name: 'Run', exact: true });
  const status = page.getByRole('status', { name: 'Run status' });
  const stageStatus = page.getByRole('status', { name: 'Chain stage' });

  // Cancel during the first stage: nothing is written, no temporary folder is left.
  await run.click();
  await expect(stageStatus).toHaveText('Stage 1 of 2: soup', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(status).toHaveText('Cancelled.', { timeout: 30_000 });
  expect(existsSync(outputs) ? readdirSync(outputs) : []).toEqual([]);

  // Run to completion: both stages, then Done.
  await run.click();
  await expect(stageStatus).toHaveText('Stage 1 of 2: soup', { timeout: 30_000 });
  await expect(stageStatus).toHaveText('Stage 2 of 2 (final merge)', { timeout: 30_000 });
  await expect(status).toHaveText('Done.', { timeout: 60_000 });
  const out = join(outputs, 'chain');
  expect(readdirSync(outputs)).toEqual(['chain']);

  const cliOut = join(host.home, 'from-yaml');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', yaml, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const app = readTensors(out);
  const fromYaml = readTensors(cliOut);
  expect(app.size).toBe(75);
  expect([...fromYaml.keys()].sort()).toEqual([...app.keys()].sort());
  for (const [name, t] of app) expect(fromYaml.get(name)!.bytes.equals(t.bytes), name).toBe(true);
});

const CHAIN_SLICES = [
  '# stage 1: a soup of the two fine-tunes',
  'name: soup',
  ...DEMO_SOUP_LINES,
  '---',
  '# the result: the soup’s first four layers on top of the base’s last four',
  'merge_method: passthrough',
  'slices:',
  '  - sources:',
  '      - model: soup',
  '        layer_range: [0, 4]',
  '  - sources:',
  `      - model: ${join(DEMO_MODELS, 'base')}`,
  '        layer_range: [4, 8]',
  'dtype: float32',
  '',
].join('\n');

test('a mergekit-multi YAML with a slices: stage imports as a merge node wired into a Layer assembly, and runs both stages to the bits crucible merge writes', async ({ page, host }) => {
  const yaml = join(host.home, 'chain-slices.yaml');
  writeFileSync(yaml, CHAIN_SLICES);
  await openApp(page, host);
  await importYamlOverDemo(page, yaml);

  // Models math, code, base; the stage 'soup'; the Layer assembly; the Output.
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  const asm = nodeByTitle(page, 'Layer assembly');
  await expect(asm).toHaveCount(1);
  // The stage's merge node feeds the assembly's Models: the first row takes its layers.
  await expect(page.getByTestId('rf__edge-e-merge-1-assembly-2-models')).toHaveCount(1);
  await expect(asm.getByRole('list', { name: 'Inputs' })).toContainText('A soup (Linear (model soup)) · 8 layers');
  const rows = asm.getByRole('list', { name: 'Rows' });
  await expect(rows.getByRole('listitem', { name: 'Row 1', exact: true }).locator('.row-text')).toHaveText('out 0–3 ← A 0–4');
  await expect(rows.getByRole('listitem', { name: 'Row 2', exact: true }).locator('.row-text')).toHaveText('out 4–7 ← B 4–8');
  await expect(page.locator('.node-problem')).toHaveCount(0);

  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 60_000 });
  const outputs = join(host.home, 'crucible-output');
  expect(readdirSync(outputs)).toEqual(['chain-slices']);

  const cliOut = join(host.home, 'from-yaml');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', yaml, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const app = readTensors(join(outputs, 'chain-slices'));
  const fromYaml = readTensors(cliOut);
  expect(app.size).toBe(75);
  expect([...fromYaml.keys()].sort()).toEqual([...app.keys()].sort());
  for (const [name, t] of app) expect(fromYaml.get(name)!.bytes.equals(t.bytes), name).toBe(true);
});

test("exported from the editor, an imported chain's earlier stage keeps its dtype key as written (dtype, not out_dtype)", async ({ page, host }) => {
  const yaml = join(host.home, 'chain-dtype.yaml');
  writeFileSync(yaml, CHAIN.replace('out_dtype: float16', 'dtype: bfloat16'));
  await openApp(page, host);
  await importYamlOverDemo(page, yaml);
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  const stage = page.locator('.react-flow__node').filter({ has: page.getByRole('textbox', { name: 'Stage name' }).and(page.locator('[value="soup"]')) });
  await expect(stage.getByRole('combobox', { name: 'Stage dtype' })).toHaveValue('bfloat16');

  const out = join(host.home, 'chain-dtype-exported.yaml');
  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', out, 'Export');
  await expect(page.getByText(`Exported ${out}`)).toBeVisible();
  const docs = readFileSync(out, 'utf8').split(/^---$/m);
  expect(docs).toHaveLength(2);
  const dtypeLines = (doc: string) => doc.split('\n').filter((l) => /^(out_)?dtype:/.test(l));
  expect(docs.map(dtypeLines)).toEqual([['dtype: bfloat16'], ['dtype: float32']]);
});

