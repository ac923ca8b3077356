/**
 * Editing as QA found it wanting: a click on a node after Select All or an undo, the unsaved-changes
 * dot across undo and redo, a shortcut while a path field has unsaved typing, and sliders that could
 * not land on round values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, openApp } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';

const selected = (page: Page) => page.locator('.react-flow__node.selected');
const title = (page: Page) => page.locator('.project-name');

test('a plain click on a node selects that node alone, after Select All and after an undo brought the graph back', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await menu(page, 'Edit', 'Select All');
  await expect(selected(page)).toHaveCount(5);

  // Dragging one of the selection still moves them all, and keeps them selected.
  const tiesTitle = nodeByTitle(page, 'TIES').locator('.node-title');
  const mathBefore = await nodeByTitle(page, 'Model math').boundingBox();
  const at = await tiesTitle.boundingBox();
  if (!mathBefore || !at) throw new Error('nodes not visible');
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
  await page.mouse.down();
  await page.mouse.move(at.x + at.width / 2 + 60, at.y + at.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await nodeByTitle(page, 'Model math').boundingBox())?.x).toBeGreaterThan(mathBefore.x + 20);
  await expect(selected(page)).toHaveCount(5);

  await tiesTitle.click();
  await expect(selected(page)).toHaveCount(1);
  await expect(nodeByTitle(page, 'TIES')).toHaveClass(/selected/);

  // The reported case: everything deleted and brought back by Undo, then one node clicked and deleted.
  await menu(page, 'Edit', 'Select All');
  await menu(page, 'Edit', 'Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await menu(page, 'Edit', 'Undo');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(selected(page)).toHaveCount(5);
  await nodeByTitle(page, 'Model math').locator('.node-title').click();
  await expect(selected(page)).toHaveCount(1);
  await menu(page, 'Edit', 'Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(nodeByTitle(page, 'Model math')).toHaveCount(0);
  await expect(nodeByTitle(page, 'TIES')).toHaveCount(1);

  // Ctrl+click still adds to the selection.
  await nodeByTitle(page, 'TIES').locator('.node-title').click();
  await nodeByTitle(page, 'Output').locator('.node-title').click({ modifiers: ['Control'] });
  await expect(selected(page)).toHaveCount(2);
});

test('the unsaved-changes dot leaves when undo returns to the saved graph and comes back with redo', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const lambda = nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' });
  await expect(title(page)).not.toContainText('•');
  await lambda.fill('0.6');
  await expect(title(page)).toContainText('•');
  await menu(page, 'Edit', 'Undo');
  await expect(lambda).toHaveValue('1');
  await expect(title(page)).not.toContainText('•');
  await menu(page, 'Edit', 'Redo');
  await expect(lambda).toHaveValue('0.6');
  await expect(title(page)).toContainText('•');

  // After a save, the saved graph is the clean one: undo away from it is a change again.
  await menu(page, 'File', 'Save As…');
  await answerPathPrompt(page, 'Save project as', join(host.home, 'dot.crucible.json'), 'Save');
  await expect(title(page)).toHaveText('dot');
  await menu(page, 'Edit', 'Undo');
  await expect(title(page)).toHaveText('dot •');
  await menu(page, 'Edit', 'Redo');
  await expect(title(page)).toHaveText('dot');
});

test('Ctrl+S while typing in a path field saves what was typed; Ctrl+Z there does not undo the graph', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const file = join(host.home, 'typed.crucible.json');
  await menu(page, 'File', 'Save As…');
  await answerPathPrompt(page, 'Save project as', file, 'Save');
  await expect(title(page)).toHaveText('typed');

  // A graph edit that an undo of the graph would take back.
  const lambda = nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' });
  await lambda.fill('0.8');
  const folder = nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' });
  const typed = join(host.home, 'typed-out');
  await folder.fill(`${typed}-x`);
  await folder.press('Control+z');
  await expect(lambda).toHaveValue('0.8');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  await folder.fill(typed);
  await folder.press('Escape'); // closes the suggestions; the typed text stays
  await expect(folder).toHaveValue(typed);
  await page.keyboard.press('Control+s');
  await expect(title(page)).toHaveText('typed');
  await expect(folder).toHaveValue(typed);
  const savedFolder = (): unknown => {
    const project = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; data: { folder?: string } }[] };
    return project.nodes.find((n) => n.id === 'out')?.data.folder;
  };
  await expect.poll(savedFolder).toBe(typed);
});

test('the weight slider lands on its ends, on 0 and on 1; the number box beside it takes any value', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const ties = nodeByTitle(page, 'TIES');
  const slider = ties.getByRole('slider', { name: 'Weight of Model math slider' });
  const box = ties.getByRole('spinbutton', { name: 'Weight of Model math', exact: true });

  await slider.focus();
  await page.keyboard.press('End');
  await expect(box).toHaveValue('2');
  await page.keyboard.press('Home');
  await expect(box).toHaveValue('-1');

  // From 0.95 up, one step at a time: 1 exactly (it went 0.98, 1.01 before).
  await box.fill('0.95');
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(box).toHaveValue('1');
  for (let i = 0; i < 100; i++) await page.keyboard.press('ArrowLeft');
  await expect(box).toHaveValue('0');

  // Off the slider's grid and beyond its ends: kept as typed.
  await box.fill('1.005');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(box).toHaveValue('1.005');
  await box.fill('3.5');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await expect(box).toHaveValue('3.5');
  await expect(slider).toHaveValue('2');
});
