/**
 * The Output node's tokenizer settings through the in-page menu: a recipe with tokenizer_source
 * and chat_template imported shows them on the Output node; choosing 'union' there warns on the
 * node and Run refuses it. An earlier stage's show on its merge node and export back into its document.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle, importYamlOverDemo } from './editor-helpers.js';
import { DEMO_SOUP_LINES } from './demo-recipes.js';

const recipe = [
  ...DEMO_SOUP_LINES,
  'tokenizer_source: base',
  'chat_template: chatml',
  '',
].join('\n');

test('an imported tokenizer_source and chat_template show on the Output node; union is refused there when run', async ({ page, host }) => {
  const path = join(host.home, 'chat.yaml');
  writeFileSync(path, recipe);
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  const output = nodeByTitle(page, 'Output');
  await expect(output.getByRole('combobox', { name: 'Tokenizer source' })).toHaveValue('base');
  await expect(output.getByRole('combobox', { name: 'Chat template' })).toHaveValue('chatml');

  await output.getByRole('combobox', { name: 'Tokenizer source' }).selectOption('union');
  await expect(output.getByRole('note')).toContainText('not supported yet');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Failed.');
  await expect(page.locator('.run-message')).toContainText("Tokenizer source 'union' (a joint vocabulary) is not supported yet");
  // On the node too, where the problem is.
  await expect(output.locator('.node-problem')).toContainText('not supported yet');
});

const chain = [
  'name: soup',
  ...DEMO_SOUP_LINES,
  'tokenizer_source: base',
  'chat_template: chatml',
  '---',
  'merge_method: task_arithmetic',
  `base_model: ${join(DEMO_MODELS, 'base')}`,
  'models:',
  '  - model: soup',
  '    parameters: {weight: 0.8}',
  '',
].join('\n');

test("an earlier stage's tokenizer settings show on its merge node, not on the final merge's, and export back into the stage's document", async ({ page, host }) => {
  const path = join(host.home, 'chain-chat.yaml');
  writeFileSync(path, chain);
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  const stage = nodeByTitle(page, 'Linear (model soup)');
  await expect(stage.getByRole('combobox', { name: 'Stage tokenizer source' })).toHaveValue('base');
  await expect(stage.getByRole('combobox', { name: 'Stage chat template' })).toHaveValue('chatml');
  // The final merge writes the Output: its tokenizer settings are the Output's (here none).
  await expect(nodeByTitle(page, 'Task arithmetic').getByRole('combobox', { name: 'Stage tokenizer source' })).toHaveCount(0);
  await expect(nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Chat template' })).toHaveValue('');

  await stage.getByRole('combobox', { name: 'Stage chat template' }).selectOption('llama3');
  const exported = join(host.home, 'chain-exported.yaml');
  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', exported, 'Export');
  await expect(page.getByText(`Exported ${exported}`)).toBeVisible();
  const [first, last] = readFileSync(exported, 'utf8').split(/^---$/m);
  expect(first).toContain('tokenizer_source: base\nchat_template: llama3\n');
  expect(last).not.toMatch(/tokenizer|chat_template/);
});
