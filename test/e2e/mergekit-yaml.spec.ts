/**
 * mergekit YAML through the in-page menus: a commented recipe imported, edited and exported over
 * itself keeps everything but the edited value; the demo exported as YAML merges on the command
 * line to the bits the app wrote.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle } from './editor-helpers.js';
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
  // The demo first (startup opens it), so it cannot land over the imported recipe.
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await menu(page, 'File', 'Import mergekit YAML…');
  await answerPathPrompt(page, 'Import mergekit YAML', path, 'Import');
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
