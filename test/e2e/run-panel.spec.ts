/**
 * The run panel collapses to its header line (its "Run details" button, View → Run panel): Run,
 * Cancel and the run's state stay in sight, with the percentage while a merge runs, so a user sees
 * it finish; the choice is kept across a reload.
 */
import { test, expect, openApp } from './web-host-fixture.js';
import { menu, waitForDemo } from './editor-helpers.js';

test('collapsed, the run panel keeps one line with the run state and progress; expanded again it shows the details; a reload keeps the choice', async ({ page, slowHost }) => {
  await openApp(page, slowHost);
  await waitForDemo(page);
  const panel = page.getByRole('region', { name: 'Run' });
  const toggle = panel.getByRole('button', { name: 'Run details' });
  const status = panel.getByRole('status', { name: 'Run status' });
  const canvas = page.locator('.canvas');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  // A finished run fills the panel (pre-flight, progress, layer grid, summary).
  await panel.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(status).toHaveText('Done.', { timeout: 30_000 });
  await expect(panel.getByLabel('Summary')).toBeVisible();
  const canvasExpanded = (await canvas.boundingBox())!.height;

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(panel.getByLabel('Summary')).toBeHidden();
  await expect(panel.getByLabel('Pre-flight')).toBeHidden();
  await expect(panel.getByRole('progressbar')).toBeHidden();
  await expect(status).toHaveText('Done.');
  // The room goes to the canvas: the panel is one line.
  await expect.poll(async () => (await canvas.boundingBox())!.height).toBeGreaterThan(canvasExpanded + 60);
  expect((await panel.boundingBox())!.height).toBeLessThan(60);

  // A run started while collapsed says how far it is on that line, and that it finished.
  await panel.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(status).toHaveText(/^Running… [1-9]\d?%$/, { timeout: 20_000 });
  await expect(panel.locator('.layer-cell')).toHaveCount(0);
  await expect(status).toHaveText('Done.', { timeout: 30_000 });

  // The same from the View menu; the summary of the run is there again.
  await menu(page, 'View', 'Run panel');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.getByLabel('Summary')).toBeVisible();

  // Collapsed, then reloaded: still collapsed.
  await menu(page, 'View', 'Run panel');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  await waitForDemo(page);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(status).toHaveText('Ready.');
  await toggle.click();
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
});

test('collapsed, a failed run says so on the header line, with its reason', async ({ page, host }) => {
  page.on('dialog', (d) => void d.accept());
  await openApp(page, host);
  await waitForDemo(page);
  const panel = page.getByRole('region', { name: 'Run' });
  await panel.getByRole('button', { name: 'Run details' }).click();
  await menu(page, 'File', 'New');
  await panel.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(panel.getByRole('status', { name: 'Run status' })).toHaveText('Failed.');
  await expect(panel.getByText('Nothing to run: add an Output node')).toBeVisible();
});
