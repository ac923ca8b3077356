/**
 * Issue 5 in the app, as a user: open the demo, run a barrier preview, see the curve with 11 points
 * and the barrier height, move the slider to the lowest point, run the merge, and see the
 * post-merge check agree; the live diagnostics heatmap of that run is filled.
 */
import { test, expect, openApp } from './web-host-fixture.js';
import { nodeByTitle } from './editor-helpers.js';

test('barrier preview → lowest point → merge → the post-merge check agrees', async ({ page, host }, testInfo) => {
  // A preview, a merge and a probe of its output in a row: on a loaded machine this outgrows the default minute.
  test.slow();
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  const ties = nodeByTitle(page, 'TIES');

  await ties.getByRole('button', { name: 'Preview barrier', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Barrier preview' });
  const card = panel.getByRole('region', { name: 'Barrier preview TIES · λ (scale)' });
  await expect(card.getByRole('status', { name: 'Barrier status' })).toHaveText('Done: 11 points.', { timeout: 90_000 });
  await expect(card.locator('circle.barrier-point')).toHaveCount(11);
  await expect(card.locator('line.chord')).toHaveCount(1);
  await expect(card.getByLabel('Barrier height')).toHaveText(/^Barrier height: \d+\.\d{5} nats$/);
  await page.screenshot({ path: testInfo.outputPath('barrier-preview.png') });
  await testInfo.attach('barrier-preview', { path: testInfo.outputPath('barrier-preview.png'), contentType: 'image/png' });

  const move = card.getByRole('button', { name: /^Move slider to the lowest point/ });
  const lowest = /= ([-\d.e]+)\)$/.exec((await move.textContent()) ?? '')?.[1];
  expect(lowest).toBeDefined();
  await move.click();
  await expect(ties.getByRole('spinbutton', { name: 'λ (scale)', exact: true })).toHaveValue(lowest!);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 45_000 });
  const check = panel.getByRole('region', { name: 'Post-merge check' });
  await expect(check.getByRole('status', { name: 'Check status' })).toHaveText(/^Agrees: the written model matches the preview within 0\.0001 nats/, { timeout: 90_000 });
  await expect(check.getByRole('cell', { name: 'prose.txt' })).toBeVisible();
  await expect(check).toContainText(`Preview (λ (scale) = ${lowest})`);
  await expect(check).toContainText('from the curve’s point');
  await page.screenshot({ path: testInfo.outputPath('post-merge-check.png') });
  await testInfo.attach('post-merge-check', { path: testInfo.outputPath('post-merge-check.png'), contentType: 'image/png' });

  // The run asked for diagnostics: the heatmap holds every written tensor.
  await page.getByRole('navigation', { name: 'Analysis' }).getByRole('button', { name: 'Diagnostics' }).click();
  await expect(page.getByLabel('Diagnostics status')).toHaveText('75 tensors measured.');
  const heatmap = page.getByRole('table', { name: 'Diagnostics heatmap' });
  await expect(heatmap.locator('td.heat-cell.filled').first()).toBeVisible();
  // Fraction kept by TIES' trim: every entry of the demo's fine-tunes moved, and TIES keeps the top
  // half by magnitude (density 0.5) of each tensor, so half survives in every layer.
  await expect(page.getByLabel('Kept explained')).toContainText('share that survives');
  // ...and the explanation says why a trimmed model can keep 100%.
  await expect(page.getByLabel('Kept explained')).toContainText('fewer non-zero coordinates than that keeps them all (100%)');
  const kept = heatmap.locator('td[aria-label^="Layer 0 · Kept:"]');
  const keptText = /^Layer 0 · Kept: 50\.0% of the non-zero task-vector coordinates survive trimming or dropping \(Model (math|code) 50\.0%, Model (math|code) 50\.0%\) over \d+ tensors/;
  await expect(kept).toHaveAttribute('aria-label', keptText);
  await kept.hover();
  await expect(page.getByRole('status', { name: 'Heatmap value' })).toHaveText(keptText);
});

test("several texts, text by text: each text's curve and barrier, and their mean", async ({ page, host }) => {
  test.slow();
  await openApp(page, host);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await page.getByRole('navigation', { name: 'Analysis' }).getByRole('button', { name: 'Barrier' }).click();
  const panel = page.getByRole('complementary', { name: 'Barrier preview' });
  await panel.getByLabel('Probe text code.txt').check();
  await panel.getByLabel("Each text's curve as soon as it is done").check();
  await panel.getByLabel('Points K').fill('5');
  await nodeByTitle(page, 'TIES').getByRole('button', { name: 'Preview barrier', exact: true }).click();
  const card = panel.getByRole('region', { name: 'Barrier preview TIES · λ (scale)' });
  await expect(card.getByRole('status', { name: 'Barrier status' })).toHaveText('Done: 5 points.', { timeout: 90_000 });
  await expect(card.locator('circle.barrier-point')).toHaveCount(5);
  // Two texts: a curve each (thin) beside the mean, and a row each with its own barrier.
  await expect(card.locator('g.text-curve')).toHaveCount(2);
  await expect(card.getByRole('row').filter({ hasText: 'prose.txt' })).toHaveCount(1);
  await expect(card.getByRole('row').filter({ hasText: 'code.txt' })).toHaveCount(1);
  await expect(card.getByLabel('Barrier height')).toHaveText(/^Barrier height: \d+\.\d{5} nats/);
});
