/**
 * A frankenmerge through the in-page menus: a mergekit `slices:` recipe imported by path becomes a
 * Layer assembly node showing its rows and the output layers each fills; rows added (with the
 * problem shown on the node) and removed; the run reaches 100% and writes what `crucible merge`
 * writes from the YAML, bit for bit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { addFromPalette, answerPathPrompt, dragEdge, fit, handle, menu, nodeByTitle, importYamlOverDemo } from './editor-helpers.js';
import { readTensors } from './safetensors-compare.js';

const recipe = () =>
  [
    '# 6 layers of the math fine-tune, then the last 4 of the code one',
    'slices:',
    '  - sources:',
    `      - model: ${join(DEMO_MODELS, 'math')}`,
    '        layer_range: [0, 6]',
    '  - sources:',
    `      - model: ${join(DEMO_MODELS, 'code')}`,
    '        layer_range: [4, 8]',
    'merge_method: passthrough',
    'dtype: float32',
    '',
  ].join('\n');

test('import a frankenmerge YAML: a Layer assembly with its rows; edit the rows; run it to 100%, the bits crucible merge writes', async ({ page, host }, testInfo) => {
  const path = join(host.home, 'frank.yaml');
  writeFileSync(path, recipe());
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  // Two Model nodes, the Layer assembly, the Output.
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  const asm = nodeByTitle(page, 'Layer assembly');
  const rows = asm.getByRole('list', { name: 'Rows' });
  const rowText = (n: number) => rows.getByRole('listitem', { name: `Row ${n}`, exact: true }).locator('.row-text');
  await expect(rows.getByRole('listitem')).toHaveCount(2);
  await expect(rowText(1)).toHaveText('out 0–5 ← A 0–6');
  await expect(rowText(2)).toHaveText('out 6–9 ← B 4–8');
  await expect(asm.getByLabel('Output layers')).toHaveText('10 output layers');
  await expect(asm.getByRole('list', { name: 'Inputs' })).toContainText('A Model math · 8 layers');
  await expect(page.locator('.node-problem')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('layer-assembly.png') });
  await testInfo.attach('layer-assembly', { path: testInfo.outputPath('layer-assembly.png'), contentType: 'image/png' });

  // A third row continues the last one past the code model's 8 layers: said on the node, then removed.
  await asm.getByRole('button', { name: '+ Add row' }).click();
  await expect(rowText(3)).toHaveText('out 10–13 ← B 8–12');
  await expect(asm.locator('.node-problem')).toHaveText('Row 3: layers 8–12 of B, Model code go beyond its 8 layers.');
  await asm.getByRole('button', { name: 'Remove row 3' }).click();
  await expect(rows.getByRole('listitem')).toHaveCount(2);
  // Reordering renumbers the output layers.
  await asm.getByRole('button', { name: 'Move row 2 up' }).click();
  await expect(rowText(1)).toHaveText('out 0–3 ← B 4–8');
  await expect(rowText(2)).toHaveText('out 4–9 ← A 0–6');
  await asm.getByRole('button', { name: 'Move row 1 down' }).click();
  await expect(rowText(1)).toHaveText('out 0–5 ← A 0–6');
  await expect(page.locator('.node-problem')).toHaveCount(0);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 45_000 });
  await expect(page.locator('.progress-text')).toHaveText('100%');
  const out = join(host.home, 'crucible-output', 'frank');
  await expect(page.getByLabel('Summary')).toContainText(out);
  // 10 layers of 9 tensors, embeddings, final norm and lm_head.
  await expect(page.getByLabel('Summary')).toContainText('93 tensors written');
  expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).num_hidden_layers).toBe(10);

  const cliOut = join(host.home, 'from-yaml');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', path, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const app = readTensors(out);
  const fromYaml = readTensors(cliOut);
  expect([...app.keys()].sort()).toEqual([...fromYaml.keys()].sort());
  for (const [name, t] of app) expect(fromYaml.get(name)!.bytes.equals(t.bytes), name).toBe(true);
  // Layer 6 of the output is layer 4 of the code model.
  const code = readTensors(join(DEMO_MODELS, 'code'));
  expect(app.get('model.layers.6.mlp.up_proj.weight')!.bytes.equals(code.get('model.layers.4.mlp.up_proj.weight')!.bytes)).toBe(true);

  // A row's parameter as a curve: the editor draws it over that row's 6 layers and writes a gradient to the row.
  const row1 = rows.getByRole('listitem', { name: 'Row 1', exact: true });
  await row1.getByText('Parameters of row 1').click();
  await row1.getByRole('button', { name: 'Per-layer curve for Scale of row 1', exact: true }).click();
  const curve = page.getByRole('complementary', { name: 'Per-layer curve' });
  await expect(curve.getByRole('heading', { name: 'Scale of row 1', exact: true })).toBeVisible();
  await expect(curve.getByRole('img', { name: 'Scale of row 1 across 6 layers' })).toBeVisible();
  await curve.getByRole('button', { name: '+ anchor' }).click();
  await curve.getByRole('spinbutton', { name: 'Anchor 2 of every other tensor' }).fill('0.5');
  await expect(row1.locator('.param-per-layer')).toHaveAttribute('title', '[1,0.5]');
});

test('build a frankenmerge from the palette: wire two models into a Layer assembly, add and edit rows, run it', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await menu(page, 'File', 'New');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  for (const name of ['math', 'code']) {
    await menu(page, 'File', 'Open model folder…');
    await answerPathPrompt(page, 'Open model folder', join(DEMO_MODELS, name), 'Add model');
  }
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(2);
  await addFromPalette(page, 'Layer assembly');
  await addFromPalette(page, 'Output');
  await fit(page);
  const asm = nodeByTitle(page, 'Layer assembly');
  const output = nodeByTitle(page, 'Output');
  await dragEdge(page, handle(nodeByTitle(page, 'Model math'), 'weights', 'source'), handle(asm, 'models', 'target'));
  await dragEdge(page, handle(nodeByTitle(page, 'Model code'), 'weights', 'source'), handle(asm, 'models', 'target'));
  await fit(page);
  await dragEdge(page, handle(asm, 'weights', 'source'), handle(output, 'weights', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await expect(asm.locator('.node-problem')).toHaveText('Add a row: each row is a slice of layers taken from the models wired in.');

  const rows = asm.getByRole('list', { name: 'Rows' });
  const rowText = (n: number) => rows.getByRole('listitem', { name: `Row ${n}`, exact: true }).locator('.row-text');
  // The first row takes every layer of the first input.
  await asm.getByRole('button', { name: '+ Add row' }).click();
  await expect(rowText(1)).toHaveText('out 0–7 ← A 0–8');
  const end = asm.getByRole('spinbutton', { name: 'Row 1 source 1 end' });
  await end.fill('5');
  await expect(rowText(1)).toHaveText('out 0–4 ← A 0–5');
  // The next row continues over as many layers; then it takes them from the code model.
  await asm.getByRole('button', { name: '+ Add row' }).click();
  await expect(rowText(2)).toHaveText('out 5–9 ← A 5–10');
  await expect(asm.locator('.node-problem')).toHaveText('Row 2: layers 5–10 of A, Model math go beyond its 8 layers.');
  await asm.getByRole('combobox', { name: 'Row 2 source 1 model' }).selectOption({ label: 'B' });
  await asm.getByRole('spinbutton', { name: 'Row 2 source 1 start' }).fill('3');
  await asm.getByRole('spinbutton', { name: 'Row 2 source 1 end' }).fill('8');
  await expect(rowText(2)).toHaveText('out 5–9 ← B 3–8');
  await expect(asm.getByLabel('Output layers')).toHaveText('10 output layers');

  const out = join(host.home, 'frank-built');
  const folder = output.getByRole('combobox', { name: 'Output folder' });
  await folder.fill(out);
  await folder.press('Enter');
  await expect(page.locator('.node-problem')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 45_000 });
  await expect(page.locator('.progress-text')).toHaveText('100%');
  expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).num_hidden_layers).toBe(10);
  const app = readTensors(out);
  const math = readTensors(join(DEMO_MODELS, 'math'));
  const code = readTensors(join(DEMO_MODELS, 'code'));
  // out 0–4 ← math 0–4, out 5–9 ← code 3–7.
  for (const [o, ck, l] of [[0, math, 0], [4, math, 4], [5, code, 3], [9, code, 7]] as const) {
    const name = (i: number) => `model.layers.${i}.self_attn.q_proj.weight`;
    expect(app.get(name(o))!.bytes.equals(ck.get(name(l))!.bytes), `out ${o}`).toBe(true);
  }
});
