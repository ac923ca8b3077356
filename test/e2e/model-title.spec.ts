/**
 * A Model node's title: it follows a path typed into it that holds a checkpoint, and stays as it
 * was when the path typed is not there (a typo, a model not on this machine), on the node and in
 * the merge's rows, instead of naming the node after a missing folder. A node the user renamed
 * (double-click its title) keeps that name whatever path is typed in, until the name is cleared.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { importYamlOverDemo, nodeByTitle, waitForDemo } from './editor-helpers.js';

test('a typed path that does not exist leaves the node its title; one that holds a checkpoint renames it', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const node = nodeByTitle(page, 'Model math');
  const field = node.getByRole('combobox', { name: 'Model path' });
  const missing = join(host.home, 'nowhere', 'my-finetune');
  await field.fill(missing);
  await field.press('Enter');
  await expect(node.getByRole('status')).toContainText(`${missing}: no such file or folder`);
  await expect(field).toHaveValue(missing);
  await expect(page.locator('.node-title > span:first-child')).toHaveText(['Model base', 'Model math', 'Model code', 'TIES', 'Output']);
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'Density of Model math' })).toBeVisible();

  // A copy of the checkpoint under another name: the node takes that name.
  const copy = join(host.home, 'my-finetune');
  cpSync(join(DEMO_MODELS, 'math'), copy, { recursive: true });
  await field.fill(copy);
  await field.press('Enter');
  const renamed = nodeByTitle(page, 'Model my-finetune');
  await expect(renamed.getByText('LlamaForCausalLM')).toBeVisible();
  await expect(nodeByTitle(page, 'Model math')).toHaveCount(0);
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'Density of Model my-finetune' })).toBeVisible();
});

test('an imported model not on this machine keeps its title when a path typed into it is not there either', async ({ page, host }) => {
  const recipe = join(host.home, 'hub.yaml');
  writeFileSync(recipe, ['merge_method: linear', 'models:', '  - model: mistralai/Mistral-7B-v0.1', '    parameters: {weight: 1}', `  - model: ${join(DEMO_MODELS, 'code')}`, '    parameters: {weight: 1}', ''].join('\n'));
  await openApp(page, host);
  await importYamlOverDemo(page, recipe);
  const node = nodeByTitle(page, 'Model Mistral-7B-v0.1');
  await expect(node.getByRole('status')).toContainText('is not available locally');
  const field = node.getByRole('combobox', { name: 'Model path' });
  const typo = join(host.home, 'modles', 'mistral-7b');
  await field.fill(typo);
  await field.press('Enter');
  await expect(field).toHaveValue(typo);
  await expect(node.getByRole('status')).toContainText(typo);
  await expect(nodeByTitle(page, 'Model mistral-7b')).toHaveCount(0);
  await expect(node.locator('.node-title')).toHaveText('Model Mistral-7B-v0.1');
});

test('a renamed Model node keeps its name through a new path; Escape cancels; an empty name follows the path again', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const node = nodeByTitle(page, 'Model math');
  await node.locator('.node-title > span:first-child').dblclick();
  // While it is typed, the title is a field (the node is no longer found by its title): one at a time.
  const name = page.getByRole('textbox', { name: 'Node name' });
  await expect(name).toHaveValue('math');
  await name.fill('Math SFT');
  await name.press('Enter');
  const renamed = nodeByTitle(page, 'Model Math SFT');
  await expect(renamed).toHaveCount(1);
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'Density of Model Math SFT' })).toBeVisible();

  // Escape leaves the name as it was.
  await renamed.locator('.node-title > span:first-child').dblclick();
  await name.fill('something else');
  await name.press('Escape');
  await expect(nodeByTitle(page, 'Model Math SFT')).toHaveCount(1);

  // A checkpoint under another folder name: the node keeps the name it was given.
  const copy = join(host.home, 'my-finetune');
  cpSync(join(DEMO_MODELS, 'math'), copy, { recursive: true });
  const field = renamed.getByRole('combobox', { name: 'Model path' });
  await field.fill(copy);
  await field.press('Enter');
  await expect(field).toHaveValue(copy);
  await expect(renamed.getByText('LlamaForCausalLM')).toBeVisible();
  await expect(nodeByTitle(page, 'Model Math SFT')).toHaveCount(1);
  await expect(nodeByTitle(page, 'Model my-finetune')).toHaveCount(0);

  // Clearing the name gives the title back to the path.
  await renamed.locator('.node-title > span:first-child').dblclick();
  await name.fill('');
  await name.press('Enter');
  const byPath = nodeByTitle(page, 'Model my-finetune');
  await expect(byPath).toHaveCount(1);

  // From the keyboard: the selected node, F2 (Edit → Rename node).
  await byPath.locator('.node-title').click();
  await page.keyboard.press('F2');
  await expect(name).toHaveValue('my-finetune');
  await name.fill('Math v2');
  await name.press('Enter');
  await expect(nodeByTitle(page, 'Model Math v2')).toHaveCount(1);
});
