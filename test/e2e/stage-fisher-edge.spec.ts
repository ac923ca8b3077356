/**
 * Drawing an edge from a merge (a chain stage) to a Fisher node's Model, as a user does with the
 * mouse: refused while the Fisher node would estimate (the stage's result does not exist yet),
 * accepted once it reads a Fisher file; the edge then stays, and undo removes it.
 */
import { test, expect, openApp } from './web-host-fixture.js';
import { addFromPalette, dragEdge, fit, handle, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';
import { FISHER_ESTIMATE_OF_STAGE } from '../../common/graph/chain.js';

test("a merge's result into a Fisher node's Model: refused while it estimates, accepted from a Fisher file", async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  // The demo: three models into TIES, TIES into the Output.
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  await addFromPalette(page, 'Fisher');
  await fit(page);
  const fisher = nodeByTitle(page, 'Fisher');
  const ties = nodeByTitle(page, 'TIES');
  await expect(fisher.getByRole('combobox', { name: 'Fisher source' })).toHaveValue('estimate');

  await dragEdge(page, handle(ties, 'weights', 'source'), handle(fisher, 'model', 'target'));
  await expect(page.locator('.connection-refused')).toHaveText(FISHER_ESTIMATE_OF_STAGE);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);

  await fisher.getByRole('combobox', { name: 'Fisher source' }).selectOption('file');
  await dragEdge(page, handle(ties, 'weights', 'source'), handle(fisher, 'model', 'target'));
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  await menu(page, 'Edit', 'Undo');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
});
