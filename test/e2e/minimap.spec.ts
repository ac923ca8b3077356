/** The minimap: View → Minimap turns it off and on, a canvas too small for it hides it, and Fit keeps the nodes clear of it. */
import { test, expect, openApp } from './web-host-fixture.js';
import { fit, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';

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

test('View → Fit leaves the lower-right node clear of the minimap, and a click there reaches the node', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const minimap = page.getByLabel('Minimap', { exact: true });
  await expect(minimap).toBeVisible();

  // The Output dragged down beside the lower half of TIES: the graph's lower-right node, where
  // an even fit puts the minimap over it.
  const output = nodeByTitle(page, 'Output');
  const grip = (await output.locator('.node-title').boundingBox())!;
  await page.mouse.move(grip.x + 30, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + 30, grip.y + grip.height / 2 + 420, { steps: 8 });
  await page.mouse.up();

  await fit(page);
  const node = (await output.boundingBox())!;
  const map = (await minimap.boundingBox())!;
  const apart = node.x + node.width <= map.x || map.x + map.width <= node.x || node.y + node.height <= map.y || map.y + map.height <= node.y;
  expect(apart, `Output ${JSON.stringify(node)} and minimap ${JSON.stringify(map)} intersect`).toBe(true);

  // A click on the node's lower-right corner selects it (over the minimap it would pan the view).
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(output).not.toHaveClass(/selected/);
  await page.mouse.click(node.x + node.width - 6, node.y + node.height - 6);
  await expect(output).toHaveClass(/selected/);
});
