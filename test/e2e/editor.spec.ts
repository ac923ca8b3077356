/**
 * The scenarios, acting as a user through the in-page menus, palette and path fields of the
 * web host, asserting on what is visible. Screenshots of mid-run and completion are kept.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { addFromPalette, answerPathPrompt, dragEdge, fit, handle, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';
import { readTensors } from './safetensors-compare.js';

test('build a TIES merge from an empty canvas, run it, and match crucible merge', async ({ page, slowHost }, testInfo) => {
  await openApp(page, slowHost);
  await waitForDemo(page);
  await menu(page, 'File', 'New');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // Model nodes by path: one from the palette with its path field, two through "Open model folder…".
  await addFromPalette(page, 'Model');
  const first = page.locator('.react-flow__node').first();
  await first.getByRole('combobox', { name: 'Model path' }).fill(join(DEMO_MODELS, 'base'));
  await first.getByRole('combobox', { name: 'Model path' }).press('Enter');
  for (const name of ['math', 'code']) {
    await menu(page, 'File', 'Open model folder…');
    await answerPathPrompt(page, 'Open model folder', join(DEMO_MODELS, name), 'Add model');
  }
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await expect(nodeByTitle(page, 'Model base').getByText('228.1K')).toBeVisible();

  await addFromPalette(page, 'TIES');
  await addFromPalette(page, 'Output');
  await fit(page);

  const ties = nodeByTitle(page, 'TIES');
  const output = nodeByTitle(page, 'Output');
  await dragEdge(page, handle(nodeByTitle(page, 'Model base'), 'weights', 'source'), handle(ties, 'base', 'target'));
  await dragEdge(page, handle(nodeByTitle(page, 'Model math'), 'weights', 'source'), handle(ties, 'models', 'target'));
  await dragEdge(page, handle(nodeByTitle(page, 'Model code'), 'weights', 'source'), handle(ties, 'models', 'target'));
  await fit(page);
  await dragEdge(page, handle(ties, 'weights', 'source'), handle(output, 'weights', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);

  // Density: the default of the spec is visible, then set with the slider (math) and by typing (code).
  const mathDensity = ties.getByRole('spinbutton', { name: 'Density of Model math' });
  await expect(mathDensity).toHaveValue('1');
  await expect(ties.getByText('default 1').first()).toBeVisible();
  const slider = ties.getByRole('slider', { name: 'Density of Model math slider' });
  await slider.focus();
  for (let i = 0; i < 50; i++) await slider.press('ArrowLeft');
  await expect(mathDensity).toHaveValue('0.5');
  const codeDensity = ties.getByRole('spinbutton', { name: 'Density of Model code' });
  await codeDensity.fill('0.5');
  await expect(codeDensity).toHaveValue('0.5');

  const out = join(slowHost.home, 'ties-out');
  const folder = output.getByRole('combobox', { name: 'Output folder' });
  await folder.fill(out);
  await folder.press('Enter');
  await expect(page.locator('.node-problem')).toHaveCount(0);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Running…');
  await expect(page.locator('.layer-cell.done').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('ties-mid-run.png') });
  await testInfo.attach('ties-mid-run', { path: testInfo.outputPath('ties-mid-run.png'), contentType: 'image/png' });

  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 45_000 });
  await expect(page.locator('.progress-text')).toHaveText('100%');
  // 75 tensors: embeddings, lm_head and final norm outside the stack, 9 per layer over 8 layers; 26 grid cells hold them.
  await expect(page.getByLabel('Summary')).toContainText('75 tensors written');
  await expect(page.getByLabel('Summary')).toContainText(out);
  await expect(page.locator('.layer-cell.done')).toHaveCount(26);
  await expect(page.locator('.layer-cell.pending, .layer-cell.partial')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('ties-done.png') });
  await testInfo.attach('ties-done', { path: testInfo.outputPath('ties-done.png'), contentType: 'image/png' });

  // The same recipe through the CLI writes the same tensors, bit for bit.
  const yaml = join(slowHost.home, 'ties.yaml');
  writeFileSync(
    yaml,
    [
      'merge_method: ties',
      `base_model: ${join(DEMO_MODELS, 'base')}`,
      'models:',
      `  - model: ${join(DEMO_MODELS, 'math')}`,
      '    parameters: {weight: 1, density: 0.5}',
      `  - model: ${join(DEMO_MODELS, 'code')}`,
      '    parameters: {weight: 1, density: 0.5}',
      '',
    ].join('\n'),
  );
  const cliOut = join(slowHost.home, 'cli-out');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', yaml, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const ours = readTensors(out);
  const theirs = readTensors(cliOut);
  expect(ours.size).toBe(75);
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  for (const [name, t] of theirs) {
    const o = ours.get(name)!;
    expect(o.dtype, name).toBe(t.dtype);
    expect(o.shape, name).toEqual(t.shape);
    expect(o.bytes.equals(t.bytes), name).toBe(true);
  }
  // And the merge changed something: not the base copied through.
  const base = readTensors(join(DEMO_MODELS, 'base'));
  expect(ours.get('model.layers.0.mlp.up_proj.weight')!.bytes.equals(base.get('model.layers.0.mlp.up_proj.weight')!.bytes)).toBe(false);
});

test('a refused connection shows its reason where the user is looking', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await menu(page, 'File', 'New');
  await menu(page, 'File', 'Open model folder…');
  await answerPathPrompt(page, 'Open model folder', join(DEMO_MODELS, 'base'), 'Add model');
  await addFromPalette(page, 'Scale');
  await fit(page);
  await dragEdge(page, handle(nodeByTitle(page, 'Model base'), 'weights', 'source'), handle(nodeByTitle(page, 'Scale'), 'taskVector', 'target'));
  const alert = page.locator('.connection-refused');
  await expect(alert).toHaveText('Model base gives weights; Task vector of Scale takes task vectors.');
  // Shown at the pointer, near the handle that refused.
  const box = await alert.boundingBox();
  const target = await handle(nodeByTitle(page, 'Scale'), 'taskVector', 'target').boundingBox();
  expect(Math.abs(box!.x - target!.x)).toBeLessThan(60);
  expect(Math.abs(box!.y - target!.y)).toBeLessThan(60);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
});

/** Adds each palette entry in turn: each lands with its title in view and on no other node. */
async function addEachClear(page: Page, labels: string[]): Promise<void> {
  const before = await page.locator('.react-flow__node').count();
  for (const [i, label] of labels.entries()) {
    await addFromPalette(page, label);
    await expect(page.locator('.react-flow__node')).toHaveCount(before + 1 + i);
    await page.waitForTimeout(400); // the pan to a node placed outside the view
    const canvas = (await page.locator('.react-flow').boundingBox())!;
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((e) => ({ selected: e.classList.contains('selected'), ...JSON.parse(JSON.stringify(e.getBoundingClientRect())) as { x: number; y: number; width: number; height: number } })),
    );
    const fresh = boxes.filter((b) => b.selected);
    expect(fresh, `${label}: the new node is the one selected`).toHaveLength(1);
    const b = fresh[0];
    // Its title (the top 40 px) is inside the canvas.
    expect(b.x, label).toBeGreaterThanOrEqual(canvas.x);
    expect(b.x + b.width, label).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(b.y, label).toBeGreaterThanOrEqual(canvas.y);
    expect(b.y + 40, label).toBeLessThanOrEqual(canvas.y + canvas.height);
    for (const o of boxes.filter((x) => !x.selected)) {
      const apart = b.x + b.width <= o.x || o.x + o.width <= b.x || b.y + b.height <= o.y || o.y + o.height <= b.y;
      expect(apart, `${label} overlaps a node at ${Math.round(o.x)}, ${Math.round(o.y)}`).toBe(true);
    }
  }
}

test('nodes added from the palette land in view and on no other node, with a side panel open', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  // The curve editor narrows the canvas; the demo's five nodes fill most of what is left.
  await nodeByTitle(page, 'TIES').getByRole('button', { name: 'Per-layer curve for λ (scale)' }).click();
  await expect(page.getByRole('complementary', { name: 'Per-layer curve' })).toBeVisible();
  await addEachClear(page, ['TIES', 'SLERP', 'Linear (model soup)', 'Model', 'Output']);
});

test('every other kind of node added from the palette lands on no other node, the wide Layer assembly first', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await addEachClear(page, ['Layer assembly', 'Fisher', 'Align', 'LoRA', 'Task Vector', 'Scale', 'Add']);
});

test('a palette entry dragged onto the canvas lands where it is let go', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  const drop = { x: Math.round(canvas.width - 320), y: Math.round(canvas.height - 120) }; // an empty corner of the demo
  await page.getByRole('complementary', { name: 'Palette' }).getByRole('button', { name: 'Task arithmetic', exact: true }).dragTo(page.locator('.react-flow__pane'), { targetPosition: drop });
  const node = nodeByTitle(page, 'Task arithmetic');
  await expect(node).toHaveCount(1);
  const title = (await node.locator('.node-title').boundingBox())!;
  // The node's title is under the pointer.
  const pointer = { x: canvas.x + drop.x, y: canvas.y + drop.y };
  expect(pointer.x).toBeGreaterThan(title.x);
  expect(pointer.x).toBeLessThan(title.x + title.width);
  expect(pointer.y).toBeGreaterThan(title.y - 5);
  expect(pointer.y).toBeLessThan(title.y + title.height + 5);
  await menu(page, 'Edit', 'Undo');
  await expect(node).toHaveCount(0);
});

test('Enter in the palette search adds the first match', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const search = page.getByRole('complementary', { name: 'Palette' }).getByRole('searchbox', { name: 'Search nodes' });
  await search.fill('karcher');
  await search.press('Enter');
  await expect(nodeByTitle(page, 'Karcher mean')).toHaveCount(1);
  await expect(search).toHaveValue('');
  // Nothing typed: Enter adds nothing.
  await search.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
});

test('undo and redo restore the graph', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await nodeByTitle(page, 'TIES').locator('.node-title').click();
  await menu(page, 'Edit', 'Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await menu(page, 'Edit', 'Undo');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await menu(page, 'Edit', 'Redo');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  // Keyboard too.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'Density of Model math' })).toHaveValue('0.5');
});

test('cancel mid-run leaves no output folder', async ({ page, slowHost }) => {
  await openApp(page, slowHost);
  const out = join(slowHost.home, 'cancel-out');
  const folder = nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' });
  await folder.fill(out);
  await folder.press('Enter');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.layer-cell.done').first()).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Cancelled.');
  await expect(page.getByText('Cancelled: nothing was written.')).toBeVisible();
  expect(existsSync(out)).toBe(false);
});

test('the demo project runs', async ({ page, host }, testInfo) => {
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 30_000 });
  await expect(page.locator('.progress-text')).toHaveText('100%');
  await expect(page.getByLabel('Summary')).toContainText('75 tensors written');
  await expect(page.getByLabel('Pre-flight')).toContainText('75 tensors');
  await page.screenshot({ path: testInfo.outputPath('demo-done.png') });
});
