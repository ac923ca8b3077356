/**
 * Connecting nodes without a mouse: with a node selected (Tab to it, Enter), Edit → Connect output
 * to… (Ctrl+Shift+E, or the command palette) lists only the inputs that accept its output now;
 * arrows and Enter connect, Escape cancels, Undo removes the edge. An edge is removed from the
 * keyboard by Tab to it, Enter, Delete.
 */
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './web-host-fixture.js';
import { menu, nodeByTitle, waitForDemo } from './editor-helpers.js';

async function paletteRun(page: Page, query: string, option: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox', { name: 'Search commands' }).fill(query);
  // The option's text ends with its shortcut, if it has one.
  await expect(palette.getByRole('option', { selected: true })).toContainText(option);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
}

test('Connect output to…: only compatible free inputs are offered; Enter connects, Undo removes, Escape cancels', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const edges = page.locator('.react-flow__edge');
  await expect(edges).toHaveCount(4);
  // A Task vector (takes weights) and a Scale (takes task vectors only), added from the keyboard.
  await paletteRun(page, 'add node task vector', 'Add node: Task Vector');
  await paletteRun(page, 'add node scale', 'Add node: Scale');

  // Select Model math from the keyboard.
  const math = nodeByTitle(page, 'Model math');
  await math.focus();
  await page.keyboard.press('Enter');
  await expect(math).toHaveClass(/\bselected\b/);

  await page.keyboard.press('Control+Shift+E');
  const dialog = page.getByRole('dialog', { name: 'Connect Model math to…' });
  const list = dialog.getByRole('listbox', { name: 'Inputs' });
  await expect(list).toBeFocused();
  // Not Scale (task vectors only), not TIES' Models (math is on it), not TIES' Base or the Output (taken).
  await expect(dialog.getByRole('option')).toHaveText(['Task vector · Model', 'Task vector · Base']);

  // Escape leaves the graph as it was, the focus back on the node.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(edges).toHaveCount(4);
  await expect(math).toBeFocused();

  // Down to Base, Enter: the edge is made.
  await page.keyboard.press('Control+Shift+E');
  await expect(dialog.getByRole('option', { selected: true })).toHaveText('Task vector · Model');
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('option', { selected: true })).toHaveText('Task vector · Base');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(edges).toHaveCount(5);
  const tvId = await nodeByTitle(page, 'Task Vector').getAttribute('data-id');
  await expect(page.getByRole('group', { name: `Edge from math to ${tvId}` })).toHaveCount(1);
  await expect(math).toBeFocused();

  // The Base is taken now: the menu's entry offers the Model input only.
  await menu(page, 'Edit', 'Connect output to…');
  await expect(dialog.getByRole('option')).toHaveText(['Task vector · Model']);
  await page.keyboard.press('Escape');

  // Undo takes the edge away again, as for one drawn with the mouse: that edge and nothing else.
  await page.keyboard.press('Control+Z');
  await expect(edges).toHaveCount(4);
  await expect(page.getByRole('group', { name: `Edge from math to ${tvId}` })).toHaveCount(0);
  await expect(nodeByTitle(page, 'Scale')).toHaveCount(1);
  await expect(nodeByTitle(page, 'Task Vector')).toHaveCount(1);
  await page.keyboard.press('Control+Shift+Z');
  await expect(edges).toHaveCount(5);

  // From the command palette too (Redo selected the edge it brought back: select Model math again).
  await math.focus();
  await page.keyboard.press('Enter');
  await paletteRun(page, 'connect output', 'Edit: Connect output to…');
  await expect(dialog.getByRole('option')).toHaveText(['Task vector · Model']);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('Connect output to… says why when there is nothing to connect, and keeps Delete for the graph out of the dialog', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  // Nothing selected.
  await page.keyboard.press('Control+Shift+E');
  await expect(page.getByText('Select one node first')).toBeVisible();
  // The Output has no output.
  const output = nodeByTitle(page, 'Output');
  await output.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+E');
  await expect(page.getByText('Output has no output to connect.')).toBeVisible();
  // Every input Model code could feed is taken or its own already.
  const code = nodeByTitle(page, 'Model code');
  await code.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+E');
  await expect(page.getByText("No input of another node can take Model code's output now.")).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // With the dialog open, Delete does not delete the selected node behind it.
  await page.getByRole('complementary', { name: 'Palette' }).getByRole('button', { name: 'Task Vector', exact: true }).click();
  await code.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+E');
  const dialog = page.getByRole('dialog', { name: 'Connect Model code to…' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(code).toHaveCount(1);
});

test('an edge is removed from the keyboard: Tab to it, Enter selects it, Delete removes it, Undo brings it back', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const edges = page.locator('.react-flow__edge');
  await expect(edges).toHaveCount(4);
  const edge = page.getByRole('group', { name: 'Edge from math to ties' });
  await page.getByRole('searchbox', { name: 'Search nodes' }).focus();
  for (let i = 0; i < 80 && !(await edge.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(edge).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(edge).toHaveClass(/\bselected\b/);
  await page.keyboard.press('Delete');
  await expect(edges).toHaveCount(3);
  await expect(edge).toHaveCount(0);
  // The nodes stay.
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await page.keyboard.press('Control+Z');
  await expect(edges).toHaveCount(4);
  await expect(edge).toHaveCount(1);
});
