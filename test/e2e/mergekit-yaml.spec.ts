/**
 * mergekit YAML through the in-page menus: a commented recipe imported, edited and exported over
 * itself keeps everything but the edited value; the demo exported as YAML merges on the command
 * line to the bits the app wrote; an imported recipe run in the app reopens from its output folder
 * by path (an input that moved found by header hash, one deleted shown as not found on its node).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle, importYamlOverDemo } from './editor-helpers.js';
import { readTensors } from './safetensors-compare.js';

const recipe = (codeDensity: string) =>
  [
    '# TIES over the demo fine-tunes (kept by hand)',
    'merge_method: ties',
    `base_model: ${join(DEMO_MODELS, 'base')}`,
    'models:',
    `  - model: ${join(DEMO_MODELS, 'math')} # the math fine-tune`,
    '    parameters:',
    '      weight: 1',
    '      density: 0.5',
    `  - model: ${join(DEMO_MODELS, 'code')}`,
    '    parameters:',
    '      weight: 1',
    `      density: ${codeDensity} # tuned`,
    'parameters:',
    '  normalize: true',
    'dtype: float32',
    '',
  ].join('\n');

test('import a commented recipe, change a density, export over it: only that value changes', async ({ page, host }) => {
  const path = join(host.home, 'ties.yaml');
  writeFileSync(path, recipe('0.5'));
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  // The demo has as many nodes and edges: wait for what only the import has, its output folder.
  await expect(nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' })).toHaveValue(/crucible-output[\\/]ties$/);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  const ties = nodeByTitle(page, 'TIES');
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model math' })).toHaveValue('0.5');
  const code = ties.getByRole('spinbutton', { name: 'Density of Model code' });
  await expect(code).toHaveValue('0.5');
  await code.fill('0.3');
  await expect(code).toHaveValue('0.3');

  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', path, 'Export');
  await expect(page.getByText(`Exported ${path}`)).toBeVisible();
  expect(readFileSync(path, 'utf8')).toBe(recipe('0.3'));
});

test("a density given at the recipe's top level shows on the node (All models) and as each model's inherited value", async ({ page, host }) => {
  const path = join(host.home, 'ties-global.yaml');
  writeFileSync(path, recipe('0.5').replace('      weight: 1\n      density: 0.5 # tuned\n', '      weight: 1\n').replace('  normalize: true\n', '  density: 0.4\n  normalize: true\n'));
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  await expect(nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' })).toHaveValue(/crucible-output[\\/]ties-global$/);
  const ties = nodeByTitle(page, 'TIES');
  await expect(ties.getByRole('spinbutton', { name: 'Density of all models' })).toHaveValue('0.4');
  // math sets its own; code inherits the node's, and says where it comes from.
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model math' })).toHaveValue('0.5');
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model code' })).toHaveValue('0.4');
  await expect(ties.locator('fieldset', { hasText: 'Model code' }).getByText('all models: 0.4')).toBeVisible();
  // math overrides it, and still says what an empty field gives: the node's 0.4, not the method's default 1.
  await expect(ties.locator('fieldset', { hasText: 'Model math' }).getByText('all models: 0.4')).toBeVisible();
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model math' })).toHaveAttribute('placeholder', '0.4');
});

test('an imported recipe finds the models beside it by their relative names, as crucible merge does', async ({ page, host }) => {
  const dir = join(host.home, 'recipes', 'soup');
  mkdirSync(dir, { recursive: true });
  for (const m of ['math', 'code']) cpSync(join(DEMO_MODELS, m), join(dir, m), { recursive: true });
  const path = join(dir, 'soup.yaml');
  writeFileSync(path, 'merge_method: linear\nmodels:\n  - model: math\n    parameters: {weight: 0.5}\n  - model: code\n    parameters: {weight: 0.5}\ndtype: float32\n');
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  // Two Model nodes, each read from the folder beside the recipe (not from the home folder).
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(2);
  await expect(nodeByTitle(page, 'Model math').getByRole('combobox', { name: 'Model path' })).toHaveValue(join(dir, 'math'));
  await expect(page.getByText(/no such file or folder|does not exist/)).toHaveCount(0);
});

test('the demo exported as mergekit YAML merges on the command line to the bits the app wrote', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 30_000 });

  const yaml = join(host.home, 'demo.yaml');
  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', yaml, 'Export');
  await expect(page.getByText(`Exported ${yaml}`)).toBeVisible();
  const text = readFileSync(yaml, 'utf8');
  expect(text).toMatch(/^merge_method: ties\n/);
  expect(text).toContain(`base_model: ${join(DEMO_MODELS, 'base')}\n`);

  const cliOut = join(host.home, 'from-yaml');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', yaml, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const app = readTensors(join(host.configDir, 'demo-output'));
  const fromYaml = readTensors(cliOut);
  expect(app.size).toBe(75);
  expect([...fromYaml.keys()].sort()).toEqual([...app.keys()].sort());
  for (const [name, t] of app) expect(fromYaml.get(name)!.bytes.equals(t.bytes), name).toBe(true);
});

test("imports a YAML file through the in-page menu (by path), sees the graph, exports it, and reopens an output folder's graph by path", async ({ page, host }) => {
  // The demo's checkpoints copied where the user keeps models; the recipe names those copies.
  const models = join(host.home, 'models');
  for (const m of ['base', 'math', 'code']) cpSync(join(DEMO_MODELS, m), join(models, m), { recursive: true });
  const yamlPath = join(host.home, 'reopen me.yaml');
  writeFileSync(yamlPath, recipe('0.3').replaceAll(DEMO_MODELS, models));
  // "Discard the unsaved changes?" (File → New, reopening over an unsaved graph): yes.
  page.on('dialog', (d) => void d.accept());
  await openApp(page, host);
  await importYamlOverDemo(page, yamlPath);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'Density of Model code' })).toHaveValue('0.3');

  const exported = join(host.home, 'exported.yaml');
  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', exported, 'Export');
  await expect(page.getByText(`Exported ${exported}`)).toBeVisible();
  expect(readFileSync(exported, 'utf8')).toMatch(/^merge_method: ties\n/m);

  // Run the imported recipe: its output goes to ~/crucible-output/<recipe name>.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 30_000 });
  const out = join(host.home, 'crucible-output', 'reopen me');
  expect(existsSync(join(out, 'model.safetensors'))).toBe(true);

  // The code fine-tune moves beside the output; the canvas is cleared; the output's recipe is reopened by path.
  const moved = join(host.home, 'crucible-output', 'moved', 'code');
  mkdirSync(dirname(moved), { recursive: true });
  renameSync(join(models, 'code'), moved);
  await menu(page, 'File', 'New');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await menu(page, 'File', 'Open recipe from output folder…');
  await answerPathPrompt(page, 'Open recipe from output folder', out, 'Open');

  await expect(page.getByText(`Reopened the recipe of ${out}: 1 input found by header hash at a new location.`)).toBeVisible();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  const ties = nodeByTitle(page, 'TIES');
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model math' })).toHaveValue('0.5');
  await expect(ties.getByRole('spinbutton', { name: 'Density of Model code' })).toHaveValue('0.3');
  await expect(nodeByTitle(page, 'Model base').getByRole('combobox', { name: 'Model path' })).toHaveValue(join(models, 'base'));
  await expect(nodeByTitle(page, 'Model math').getByRole('combobox', { name: 'Model path' })).toHaveValue(join(models, 'math'));
  const code = nodeByTitle(page, 'Model code');
  await expect(code.getByRole('combobox', { name: 'Model path' })).toHaveValue(moved);
  await expect(code.getByRole('note', { name: 'Input location' })).toHaveText(`Found by header hash at a new location (recorded at ${join(models, 'code')}).`);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await expect(page.getByRole('combobox', { name: 'Output folder' })).toHaveValue(out);
  await page.screenshot({ path: test.info().outputPath('reopened.png') });

  // Deleted: the node says it is not found, until its path field points at a copy.
  // This time through the command palette, with one of the output's files.
  rmSync(moved, { recursive: true });
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox', { name: 'Search commands' }).fill('recipe output');
  await expect(palette.getByRole('option')).toHaveText(['File: Open recipe from output folder…']);
  await palette.getByRole('combobox', { name: 'Search commands' }).press('Enter');
  await expect(palette).toBeHidden();
  await answerPathPrompt(page, 'Open recipe from output folder', join(out, 'model.safetensors'), 'Open');
  const missing = nodeByTitle(page, 'Model code');
  await expect(missing.getByRole('note', { name: 'Input location' })).toHaveText(`Not found: ${join(models, 'code')} (recorded path). Point the path field at its folder.`);
  const field = missing.getByRole('combobox', { name: 'Model path' });
  await field.fill(join(DEMO_MODELS, 'code'));
  await field.press('Enter');
  await expect(missing.getByRole('note', { name: 'Input location' })).toHaveCount(0);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
});

test('a checkpoint Crucible did not write: reopening its recipe says so, naming the file', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await menu(page, 'File', 'Open recipe from output folder…');
  await answerPathPrompt(page, 'Open recipe from output folder', join(DEMO_MODELS, 'math'), 'Open');
  await expect(page.getByText(`${join(DEMO_MODELS, 'math', 'model.safetensors')}: no Crucible provenance in its metadata`)).toBeVisible();
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
});
