/**
 * What a run leaves behind, as a user sees it: a run error on the node it concerns, inside that
 * node, gone once the graph changes under it; a run panel and analyses that start over when
 * another project is opened or created (a run in progress is cancelled); the post-merge check's
 * "cannot compare" as a note, not a failure; sweep defaults the method accepts, and refusals
 * explained under the grid.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { menu, nodeByTitle, waitForDemo } from './editor-helpers.js';

const runStatus = (page: Page) => page.getByRole('status', { name: 'Run status' });

async function setOutputFolder(page: Page, folder: string): Promise<void> {
  const field = nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' });
  await field.fill(folder);
  await field.press('Enter');
}

/** The node's problem box lies within the node's own box (it wraps rather than spilling out). */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) throw new Error('not visible');
  expect(a.x).toBeGreaterThanOrEqual(b.x - 0.5);
  expect(a.y).toBeGreaterThanOrEqual(b.y - 0.5);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 0.5);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 0.5);
  // Nothing is cut off sideways either: the text wraps in the box.
  expect(await inner.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
}

async function openSweep(page: Page): Promise<Locator> {
  await page.getByRole('navigation', { name: 'Analysis' }).getByRole('button', { name: 'Sweep' }).click();
  return page.getByRole('complementary', { name: 'Sweep' });
}

test('an output folder that would overwrite an input: the error is on the Output node, inside it, and goes when the graph changes', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const output = nodeByTitle(page, 'Output');
  const ties = nodeByTitle(page, 'TIES');
  await setOutputFolder(page, join(DEMO_MODELS, 'math'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Failed.');

  // On the node whose setting is wrong, not on the model whose folder it names.
  const problem = output.getByRole('status');
  await expect(problem).toContainText('would overwrite the input');
  await expect(nodeByTitle(page, 'Model math').getByRole('status')).toHaveCount(0);
  await expect(page.locator('.node-problem')).toHaveCount(1);
  await expectInside(problem, output);

  // Undo puts the folder back: the error described the graph before, so it goes.
  await menu(page, 'Edit', 'Undo');
  await expect(output.getByRole('combobox', { name: 'Output folder' })).toHaveValue(join(host.configDir, 'demo-output'));
  await expect(page.locator('.node-problem')).toHaveCount(0);

  // Again, then an edit upstream of the Output (the merge's λ) clears it too.
  await menu(page, 'Edit', 'Redo');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(problem).toContainText('would overwrite the input');
  await ties.getByRole('spinbutton', { name: 'λ (scale)', exact: true }).fill('0.9');
  await expect(page.locator('.node-problem')).toHaveCount(0);
});

test('a run error naming a long path wraps inside the node', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  // A folder name with nowhere to break a line, that exists: without “Replace”, the run refuses it, naming it.
  const folder = join(host.home, 'merged'.repeat(12));
  mkdirSync(folder);
  await setOutputFolder(page, folder);
  const output = nodeByTitle(page, 'Output');
  await output.getByRole('checkbox', { name: 'Replace the folder if it exists' }).uncheck();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Failed.');
  const problem = output.getByRole('status');
  await expect(problem).toContainText('already exists');
  await expectInside(problem, output);
});

test('opening or creating a project resets the run panel and the analyses of the old graph', async ({ page, host }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page, host);
  await waitForDemo(page);
  await setOutputFolder(page, join(DEMO_MODELS, 'math'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Failed.');
  await expect(page.getByLabel('Pre-flight')).toBeVisible();

  const sweep = await openSweep(page);
  await sweep.getByLabel('Axis 1 values').fill('2');
  await sweep.getByRole('button', { name: 'Run sweep' }).click();
  await expect(sweep.getByLabel('Sweep status')).toHaveText('Done: 2 cells.', { timeout: 60_000 });

  await menu(page, 'File', 'Open demo project');
  await expect(nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' })).toHaveValue(join(host.configDir, 'demo-output'));
  await expect(runStatus(page)).toHaveText('Ready.');
  await expect(page.getByText('would overwrite the input')).toHaveCount(0);
  await expect(page.getByLabel('Pre-flight')).toHaveCount(0);
  await expect(sweep.getByLabel('Sweep status')).toHaveCount(0);
  await expect(sweep.getByRole('table', { name: 'Sweep heatmap' })).toHaveCount(0);

  // A refusal of an empty project is not shown over the next one.
  await menu(page, 'File', 'New');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Failed.');
  await expect(page.getByText('Nothing to run: add an Output node')).toBeVisible();
  await menu(page, 'File', 'Open demo project');
  await waitForDemo(page);
  await expect(runStatus(page)).toHaveText('Ready.');
  await expect(page.getByText('Nothing to run')).toHaveCount(0);
});

test('opening another project while a merge runs cancels it: nothing of it shows, nothing is written', async ({ page, slowHost }) => {
  await openApp(page, slowHost);
  await waitForDemo(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Running…');
  await expect(page.locator('.layer-cell.done').first()).toBeVisible();

  await menu(page, 'File', 'Open demo project');
  await expect(runStatus(page)).toHaveText('Ready.');
  await expect(page.getByText('Opening another project cancelled the merge in progress')).toBeVisible();
  await expect(page.locator('.layer-cell.done')).toHaveCount(0);
  // Longer than the whole run would take (75 tensors at 60 ms): it neither finishes over the new project nor writes its output.
  await page.waitForTimeout(6000);
  await expect(runStatus(page)).toHaveText('Ready.');
  expect(existsSync(join(slowHost.configDir, 'demo-output'))).toBe(false);
});

test('a per-layer λ after a λ preview: the post-merge check is a neutral "not checked" note, not a failure', async ({ page, host }) => {
  test.slow();
  await openApp(page, host);
  await waitForDemo(page);
  const ties = nodeByTitle(page, 'TIES');
  await ties.getByRole('button', { name: 'Preview barrier', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Barrier preview' });
  await expect(panel.getByRole('status', { name: 'Barrier status' })).toHaveText(/^Done: \d+ points\.$/, { timeout: 90_000 });

  // λ from 0 to 1 across the layers.
  await ties.getByRole('button', { name: 'Per-layer curve for λ (scale)' }).click();
  const curve = page.getByRole('complementary', { name: 'Per-layer curve' });
  await curve.getByRole('spinbutton', { name: 'Anchor 1 of every other tensor' }).fill('0');
  await curve.getByRole('button', { name: '+ anchor' }).click();
  await curve.getByRole('spinbutton', { name: 'Anchor 2 of every other tensor' }).fill('1');
  await expect(ties.getByText('per layer')).toBeVisible();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(runStatus(page)).toHaveText('Done.', { timeout: 45_000 });
  const status = panel.getByRole('region', { name: 'Post-merge check' }).getByRole('status', { name: 'Check status' });
  await expect(status).toHaveText('Not checked: λ (scale) is set per layer, so the merge is not a point on the preview’s line.');
  // Not shown as an error: the app's red (--bad, #c92a2a) is not its colour, and the merge node carries no error.
  expect(await status.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(201, 42, 42)');
  await expect(ties.getByRole('status')).toHaveCount(0);
});

test('the sweep starts density where TIES accepts it, and says under the grid why a row is refused', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const sweep = await openSweep(page);
  await sweep.getByLabel('Sweep axis 1').selectOption({ label: 'Density of Model math' });
  await expect(sweep.getByLabel('Axis 1 from')).toHaveValue('0.1');
  await expect(sweep.getByLabel('Axis 1 to')).toHaveValue('1');
  await sweep.getByLabel('Axis 1 values').fill('2');
  await sweep.getByRole('button', { name: 'Run sweep' }).click();
  await expect(sweep.getByLabel('Sweep status')).toHaveText('Done: 2 cells.', { timeout: 60_000 });
  const heatmap = sweep.getByRole('table', { name: 'Sweep heatmap' });
  await expect(heatmap.getByText('✕')).toHaveCount(0);
  await expect(sweep.getByRole('list', { name: 'Refused cells' })).toHaveCount(0);

  // 0.01 keeps ⌊0.01·48⌋ = 0 entries of the demo's 48-entry norms: its row is refused, said once under the grid.
  await sweep.getByLabel('Axis 1 from').fill('0.01');
  await sweep.getByLabel('Sweep axis 2').selectOption({ label: 'λ (scale)' });
  await sweep.getByLabel('Axis 2 values').fill('2');
  await sweep.getByRole('button', { name: 'Run sweep' }).click();
  await expect(sweep.getByLabel('Sweep status')).toHaveText('Done: 4 cells.', { timeout: 60_000 });
  await expect(heatmap.getByText('✕')).toHaveCount(2);
  const refusals = sweep.getByRole('list', { name: 'Refused cells' }).getByRole('listitem');
  await expect(refusals).toHaveCount(1);
  await expect(refusals).toBeVisible();
  await expect(refusals).toContainText(/^Density of Model math = 0\.01 refused: .*density 0\.01 keeps ⌊0\.01·48⌋ = 0 of this tensor's 48 entries/);
});
