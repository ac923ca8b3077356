/**
 * The Output node's tokenizer settings through the in-page menu: a recipe with tokenizer_source
 * and chat_template imported shows them on the Output node; choosing 'union' there warns on the
 * node and Run refuses it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { nodeByTitle, importYamlOverDemo } from './editor-helpers.js';

const recipe = [
  'merge_method: linear',
  'models:',
  `  - model: ${join(DEMO_MODELS, 'math')}`,
  '    parameters: {weight: 1}',
  `  - model: ${join(DEMO_MODELS, 'code')}`,
  '    parameters: {weight: 1}',
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
