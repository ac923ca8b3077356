/**
 * Keyboard use of the page: the menu bar as a WAI-ARIA menubar (arrows, Home/End, Enter/Space,
 * Escape, a click elsewhere) and the command palette's commands beyond the menus (Run, Cancel, the
 * analysis panels, adding a node).
 */
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './web-host-fixture.js';
import { nodeByTitle, waitForDemo } from './editor-helpers.js';

const menubarItem = (page: Page, name: 'File' | 'Edit' | 'View') => page.getByRole('menubar').getByRole('menuitem', { name, exact: true });
const menuItem = (page: Page, menu: 'File' | 'Edit' | 'View', name: string) => page.getByRole('menu', { name: menu }).getByRole('menuitem', { name, exact: true });

test('an open menu closes on Escape (focus back on its menubar item) and on a click on the canvas', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const file = menubarItem(page, 'File');
  const fileMenu = page.getByRole('menu', { name: 'File' });

  await file.click();
  await expect(fileMenu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(fileMenu).toBeHidden();
  await expect(file).toBeFocused();
  await expect(file).toHaveAttribute('aria-expanded', 'false');

  // The canvas pane swallows mouse-downs on their way up, so this is the case that stayed open.
  await file.click();
  await expect(fileMenu).toBeVisible();
  // An empty spot of the canvas beside the menu (the menu itself covers the pane's top-left corner).
  await page.locator('.react-flow__pane').click({ position: { x: 600, y: 20 } });
  await expect(fileMenu).toBeHidden();

  // A click elsewhere on the page (the run panel) closes it too.
  await menubarItem(page, 'Edit').click();
  await expect(page.getByRole('menu', { name: 'Edit' })).toBeVisible();
  await page.getByRole('status', { name: 'Run status' }).click();
  await expect(page.getByRole('menu', { name: 'Edit' })).toBeHidden();
});

test('the menus are worked from the keyboard: arrows, Home/End, Left/Right between menus, Enter and Space', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const file = menubarItem(page, 'File');
  await file.focus();

  // Enter opens the menu with its first item focused; Up/Down move and wrap; Home/End jump.
  await page.keyboard.press('Enter');
  await expect(menuItem(page, 'File', 'New')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menuItem(page, 'File', 'Open…')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(menuItem(page, 'File', 'Export mergekit YAML…')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menuItem(page, 'File', 'New')).toBeFocused();
  await page.keyboard.press('End');
  await expect(menuItem(page, 'File', 'Export mergekit YAML…')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(menuItem(page, 'File', 'New')).toBeFocused();

  // Right/Left open the neighbouring menu (wrapping at the ends) at its first item.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('menu', { name: 'File' })).toBeHidden();
  await expect(menuItem(page, 'Edit', 'Undo')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(menuItem(page, 'View', 'Fit')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(menuItem(page, 'File', 'New')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(menuItem(page, 'View', 'Fit')).toBeFocused();

  // Enter runs the focused item and closes the menu, focus back on the menubar item.
  const minimap = page.getByLabel('Minimap', { exact: true });
  await expect(minimap).toBeVisible();
  const minimapItem = menuItem(page, 'View', 'Minimap');
  while (!(await minimapItem.evaluate((el) => el === document.activeElement))) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(minimap).toHaveCount(0);
  await expect(page.getByRole('menu', { name: 'View' })).toBeHidden();
  const view = menubarItem(page, 'View');
  await expect(view).toBeFocused();

  // Up on a menubar item opens its menu at the last item; Space runs it.
  await page.keyboard.press('ArrowUp');
  await expect(menuItem(page, 'View', 'Command palette…')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(minimapItem).toBeFocused();
  await page.keyboard.press('Space');
  await expect(minimap).toBeVisible();
  await expect(view).toBeFocused();

  // With every menu closed, Left/Right move along the menubar; Down opens at the first item.
  await page.keyboard.press('ArrowLeft');
  await expect(menubarItem(page, 'Edit')).toBeFocused();
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await expect(menuItem(page, 'Edit', 'Undo')).toBeFocused();

  // Tab leaves the menubar (one stop in the tab order) and closes the menu.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(page.getByRole('menubar').locator(':focus')).toHaveCount(0);
  await expect(page.getByRole('searchbox', { name: 'Search nodes' })).toBeFocused();
});

async function paletteRun(page: Page, query: string, option: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const search = palette.getByRole('combobox', { name: 'Search commands' });
  await search.fill(query);
  await expect(palette.getByRole('option', { selected: true })).toHaveText(option);
  await search.press('Enter');
  await expect(palette).toBeHidden();
}

test('the command palette opens the analysis panels and adds a node of any palette entry', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);

  await paletteRun(page, 'diagnostics', 'Analysis: Diagnostics panel');
  await expect(page.getByRole('complementary', { name: 'Merge diagnostics' })).toBeVisible();
  await paletteRun(page, 'barrier', 'Analysis: Barrier panel');
  await expect(page.getByRole('complementary', { name: 'Barrier preview' })).toBeVisible();
  await paletteRun(page, 'sweep', 'Analysis: Sweep panel');
  await expect(page.getByRole('complementary', { name: 'Sweep' })).toBeVisible();
  // Opening the panel that is open keeps it open (the dock's tab would toggle it shut).
  await paletteRun(page, 'sweep', 'Analysis: Sweep panel');
  await expect(page.getByRole('complementary', { name: 'Sweep' })).toBeVisible();

  await expect(nodeByTitle(page, 'SLERP')).toHaveCount(0);
  await paletteRun(page, 'add node slerp', 'Add node: SLERP');
  await expect(nodeByTitle(page, 'SLERP')).toHaveCount(1);
  await expect(nodeByTitle(page, 'SLERP')).toBeInViewport();
  const outputs = await nodeByTitle(page, 'Output').count();
  await paletteRun(page, 'add output', 'Add node: Output');
  await expect(nodeByTitle(page, 'Output')).toHaveCount(outputs + 1);
});

test('the command palette keeps the option the arrows reach in sight', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  // Up from the first option wraps to the last, far below the list's fold.
  await page.keyboard.press('ArrowUp');
  const last = palette.getByRole('option').last();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last).toBeInViewport();
  await page.keyboard.press('ArrowDown');
  await expect(palette.getByRole('option').first()).toBeInViewport();
});

test('the command palette runs the project, and offers Cancel only while the run can be cancelled', async ({ page, slowHost }) => {
  await openApp(page, slowHost);
  await waitForDemo(page);
  const status = page.getByRole('status', { name: 'Run status' });

  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox', { name: 'Search commands' }).fill('cancel');
  await expect(palette.getByRole('option')).toHaveCount(0);
  await expect(palette.getByText('No command matches.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  await paletteRun(page, 'run', 'Run: Start');
  await expect(status).toHaveText('Running…');
  await expect(page.locator('.layer-cell.done').first()).toBeVisible();
  await paletteRun(page, 'cancel', 'Run: Cancel');
  await expect(status).toHaveText('Cancelled.');
});
