/** The sweep panel: a grid over two sliders of the demo's TIES node, scored by probe loss. */
import { test, expect, openApp } from './web-host-fixture.js';
import { nodeByTitle, waitForDemo } from './editor-helpers.js';

test('a 2 × 2 sweep marks its lowest cell, a click sets the node there; the same slider twice is refused before Run', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await page.getByRole('navigation', { name: 'Analysis' }).getByRole('button', { name: 'Sweep' }).click();
  const run = page.getByRole('button', { name: 'Run sweep' });

  await expect(page.getByLabel('Sweep axis 1')).toHaveValue(/./);
  const first = await page.getByLabel('Sweep axis 1').locator('option:checked').innerText();
  await page.getByLabel('Sweep axis 2').selectOption({ label: first });
  await expect(page.getByRole('alert')).toContainText(`Both axes are ${first}`);
  await expect(run).toBeDisabled();

  await page.getByLabel('Sweep axis 1').selectOption({ label: 'λ (scale)' });
  await page.getByLabel('Sweep axis 2').selectOption({ label: 'Weight of Model math' });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByLabel('Axis 1 from').fill('0.5');
  await page.getByLabel('Axis 1 to').fill('1.5');
  await page.getByLabel('Axis 1 values').fill('2');
  await page.getByLabel('Axis 2 from').fill('0.5');
  await page.getByLabel('Axis 2 to').fill('1');
  await page.getByLabel('Axis 2 values').fill('2');
  await run.click();
  await expect(page.getByLabel('Sweep status')).toHaveText('Done: 4 cells.', { timeout: 60_000 });

  const heatmap = page.getByRole('table', { name: 'Sweep heatmap' });
  const cells = heatmap.getByRole('button');
  await expect(cells).toHaveCount(4);
  const losses = (await cells.allInnerTexts()).map((t) => Number(t.replace('★', '').trim()));
  expect(losses.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
  // The star is on the lowest loss.
  const best = heatmap.locator('.sweep-cell.best');
  await expect(best).toHaveCount(1);
  expect(Number((await best.innerText()).replace('★', '').trim())).toBe(Math.min(...losses));

  // Clicking the cell λ = 1.5, weight = 0.5 sets both sliders there.
  await heatmap.getByRole('button', { name: /^λ \(scale\) = 1\.5, Weight of Model math = 0\.5: / }).click();
  const ties = nodeByTitle(page, 'TIES');
  await expect(ties.getByRole('spinbutton', { name: 'λ (scale)' })).toHaveValue('1.5');
  await expect(ties.getByRole('spinbutton', { name: 'Weight of Model math' })).toHaveValue('0.5');
});
