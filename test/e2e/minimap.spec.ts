/** The minimap: View → Minimap turns it off and on, and a canvas too small for it hides it. */
import { test, expect, openApp } from './web-host-fixture.js';
import { menu, waitForDemo } from './editor-helpers.js';

test('View → Minimap toggles it; a side panel that narrows the canvas hides it until closed', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const minimap = page.getByLabel('Minimap', { exact: true });
  await expect(minimap).toBeVisible();

  await menu(page, 'View', 'Minimap');
  await expect(minimap).toHaveCount(0);
  await menu(page, 'View', 'Minimap');
  await expect(minimap).toBeVisible();

  // At 1400 × 900 an open analysis panel leaves the canvas under 900 px wide.
  const dock = page.getByRole('navigation', { name: 'Analysis' });
  await dock.getByRole('button', { name: 'Diagnostics' }).click();
  await expect(minimap).toHaveCount(0);
  await dock.getByRole('button', { name: 'Diagnostics' }).click();
  await expect(minimap).toBeVisible();
});

test('the minimap turned off stays off after a reload, and on again after another', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const minimap = page.getByLabel('Minimap', { exact: true });
  await expect(minimap).toBeVisible();
  await menu(page, 'View', 'Minimap');
  await expect(minimap).toHaveCount(0);

  await page.reload();
  await waitForDemo(page);
  await expect(minimap).toHaveCount(0);

  await menu(page, 'View', 'Minimap');
  await expect(minimap).toBeVisible();
  await page.reload();
  await waitForDemo(page);
  await expect(minimap).toBeVisible();
});
