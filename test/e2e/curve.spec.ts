/** The per-layer curve editor: a gradient and a filter, with the value each tensor of the demo's layer map gets. */
import { test, expect, openApp } from './web-host-fixture.js';
import { nodeByTitle } from './editor-helpers.js';

test('a λ gradient with an mlp filter, shown per tensor over the real layer map', async ({ page, host }, testInfo) => {
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await nodeByTitle(page, 'TIES').getByRole('button', { name: 'Per-layer curve for λ (scale)' }).click();
  const editor = page.getByRole('complementary', { name: 'Per-layer curve' });
  await expect(editor.getByRole('img', { name: 'λ (scale) across 8 layers' })).toBeVisible();

  await editor.getByRole('spinbutton', { name: 'Anchor 1 of every other tensor' }).fill('0');
  await editor.getByRole('button', { name: '+ anchor' }).click();
  await editor.getByRole('spinbutton', { name: 'Anchor 2 of every other tensor' }).fill('1');
  const row = (name: string) => editor.getByRole('table', { name: 'Value per tensor' }).getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  // Layer i of 8 gets i/7; embeddings, final norm and lm_head take the first anchor (t = 0).
  await expect(row('model.layers.0.self_attn.q_proj.weight').getByRole('cell').nth(2)).toHaveText('0');
  await expect(row('model.layers.7.self_attn.q_proj.weight').getByRole('cell').nth(2)).toHaveText('1');
  await expect(row('model.layers.4.self_attn.q_proj.weight').getByRole('cell').nth(2)).toHaveText('0.5714');
  await expect(row('lm_head.weight').getByRole('cell').nth(2)).toHaveText('0');
  await expect(row('model.embed_tokens.weight').getByRole('cell').nth(2)).toHaveText('0');

  await editor.getByRole('button', { name: '+ filter' }).click();
  await editor.getByRole('textbox', { name: 'Filter 1' }).fill('mlp');
  await editor.getByRole('spinbutton', { name: 'Anchor 1 of mlp' }).fill('0.3');
  await editor.getByRole('spinbutton', { name: 'Anchor 2 of mlp' }).fill('0.3');
  await expect(row('model.layers.7.mlp.down_proj.weight').getByRole('cell').nth(2)).toHaveText('0.3');
  await expect(row('model.layers.7.self_attn.o_proj.weight').getByRole('cell').nth(2)).toHaveText('1');
  // The node now says the value varies per layer.
  await expect(nodeByTitle(page, 'TIES').getByText('per layer')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('curve-editor.png') });
});
