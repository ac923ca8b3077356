/** Project files and autosave, through the in-page menus and path prompts. */
import { join } from 'node:path';
import { test, expect, openApp } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle } from './editor-helpers.js';

test('save, reload the page, reopen the file: same graph', async ({ page, host }) => {
  await openApp(page, host);
  const ties = nodeByTitle(page, 'TIES');
  await ties.getByRole('spinbutton', { name: 'Density of Model code' }).fill('0.3');
  await ties.getByRole('spinbutton', { name: 'λ (scale)' }).fill('0.8');
  const path = join(host.home, 'my-merge.crucible.json');
  await menu(page, 'File', 'Save As…');
  await answerPathPrompt(page, 'Save project as', path, 'Save');
  await expect(page.getByText(`Saved ${path}`)).toBeVisible();
  await expect(page.locator('.project-name')).toHaveText('my-merge');

  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  await menu(page, 'File', 'New');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  await menu(page, 'File', 'Open…');
  await answerPathPrompt(page, 'Open project', path, 'Open');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  const reopened = nodeByTitle(page, 'TIES');
  await expect(reopened.getByRole('spinbutton', { name: 'Density of Model code' })).toHaveValue('0.3');
  await expect(reopened.getByRole('spinbutton', { name: 'Density of Model math' })).toHaveValue('0.5');
  await expect(reopened.getByRole('spinbutton', { name: 'λ (scale)' })).toHaveValue('0.8');
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);

  // Open Recent lists it.
  await page.getByRole('menubar').getByRole('menuitem', { name: 'File', exact: true }).click();
  await expect(page.getByRole('menu', { name: 'File' }).getByRole('menuitem', { name: 'my-merge.crucible.json' })).toBeVisible();
});

test('unsaved work is restored after the page goes away (autosave)', async ({ page, host }) => {
  await openApp(page, host);
  await nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' }).fill('0.6');
  await page.waitForTimeout(1600);
  await page.close();
  const again = await page.context().newPage();
  await again.goto(host.url);
  await expect(again.getByText(/Restored unsaved work/)).toBeVisible();
  await expect(nodeByTitle(again, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' })).toHaveValue('0.6');
});

test('an edit undone after it was autosaved is not restored', async ({ page, host }) => {
  await openApp(page, host);
  const lambda = nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' });
  await lambda.fill('0.6');
  await page.waitForTimeout(1600); // autosaved
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await menu(page, 'Edit', 'Undo');
  await expect(lambda).toHaveValue('1');
  await page.waitForTimeout(500);
  await page.close();
  const again = await page.context().newPage();
  await again.goto(host.url);
  await expect(nodeByTitle(again, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' })).toHaveValue('1');
  await expect(again.getByText(/Restored unsaved work/)).toHaveCount(0);
});

test('copy and paste duplicate the selection with its edges', async ({ page, host }) => {
  await openApp(page, host);
  await nodeByTitle(page, 'Model math').locator('.node-title').click();
  await nodeByTitle(page, 'TIES').locator('.node-title').click({ modifiers: ['Control'] });
  await menu(page, 'Edit', 'Copy');
  await menu(page, 'Edit', 'Paste');
  await expect(page.locator('.react-flow__node')).toHaveCount(7);
  await expect(nodeByTitle(page, 'TIES')).toHaveCount(2);
  // The edge math → TIES is copied with them; base and code edges are not.
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);
  await menu(page, 'Edit', 'Undo');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
});

test('opening the demo or importing YAML over unsaved changes asks first, and No keeps them', async ({ page, host }) => {
  await openApp(page, host);
  const lambda = nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' });
  await lambda.fill('0.7');
  const asked: string[] = [];
  let answer: 'accept' | 'dismiss' = 'dismiss';
  page.on('dialog', (d) => {
    asked.push(d.message());
    void (answer === 'accept' ? d.accept() : d.dismiss());
  });

  await menu(page, 'File', 'Open demo project');
  await expect.poll(() => asked.length).toBe(1);
  await expect(lambda).toHaveValue('0.7');

  await menu(page, 'File', 'Import mergekit YAML…');
  await expect.poll(() => asked.length).toBe(2);
  await expect(page.getByRole('dialog', { name: 'Import mergekit YAML' })).toHaveCount(0);
  await expect(lambda).toHaveValue('0.7');
  expect(asked).toEqual(['Discard the unsaved changes of this project?', 'Discard the unsaved changes of this project?']);

  answer = 'accept';
  await menu(page, 'File', 'Open demo project');
  await expect(nodeByTitle(page, 'TIES').getByRole('spinbutton', { name: 'λ (scale)' })).toHaveValue('1');
  expect(asked).toHaveLength(3);
});
