/**
 * The path field of nodes and the path dialogs (the web UI's stand-in for file dialogs), by keyboard
 * and mouse as a user works them: leaving a field keeps what was typed, Tab only moves on, the
 * dialogs answer Enter and Escape, their buttons stay clickable, and their default paths.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';
import type { Page } from '@playwright/test';

/** A click on the canvas background: the field loses focus the way it does for a user. */
async function clickAway(page: Page): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
}

test('a typed output folder is kept when the field is left without Enter: one undo step, and Run writes there', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const folder = nodeByTitle(page, 'Output').getByRole('combobox', { name: 'Output folder' });
  const before = await folder.inputValue();
  const out = join(host.home, 'typed-out');
  await folder.fill(out);
  await clickAway(page);

  await menu(page, 'Edit', 'Undo');
  await expect(folder).toHaveValue(before);
  await menu(page, 'Edit', 'Redo');
  await expect(folder).toHaveValue(out);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 30_000 });
  await expect(page.getByLabel('Summary')).toContainText(out);
  expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
});

test('Escape in a path field closes the suggestions first, then puts back the stored path', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const node = nodeByTitle(page, 'Model math');
  const field = node.getByRole('combobox', { name: 'Model path' });
  const stored = await field.inputValue();
  await field.fill(`${DEMO_MODELS}/`);
  await expect(node.getByRole('option', { name: /code/ })).toBeVisible();
  await field.press('Escape');
  await expect(node.getByRole('listbox')).toHaveCount(0);
  await expect(field).toHaveValue(`${DEMO_MODELS}/`);
  await field.press('Escape');
  await expect(field).toHaveValue(stored);
  await clickAway(page);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
});

test('Tab through a model path field moves on and leaves the path alone, even with suggestions showing', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const node = nodeByTitle(page, 'Model base');
  const field = node.getByRole('combobox', { name: 'Model path' });
  const stored = await field.inputValue();
  await field.click();
  await expect(node.getByRole('option').first()).toBeVisible();
  await field.press('Tab');
  await expect(field).not.toBeFocused();
  await expect(field).toHaveValue(stored);

  // Typed into a folder, its files are suggested; Tab keeps what was typed, not the first file.
  await field.fill(`${stored}/`);
  await expect(node.getByRole('option', { name: /config\.json/ })).toBeVisible();
  await field.press('Tab');
  await expect(field).not.toBeFocused();
  await expect(field).toHaveValue(`${stored}/`);
  await expect(node.getByText('LlamaForCausalLM')).toBeVisible();
});

test('path dialog: Enter picks a highlighted suggestion, else submits; Escape closes the list, then the dialog', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  await menu(page, 'File', 'Open model folder…');
  const dialog = page.getByRole('dialog', { name: 'Open model folder' });
  const field = dialog.getByRole('combobox', { name: 'Path' });
  await field.fill(`${DEMO_MODELS}/`);
  await expect(dialog.getByRole('option', { name: /base/ })).toBeVisible();
  await field.press('ArrowDown');
  await field.press('Enter');
  await expect(field).toHaveValue(join(DEMO_MODELS, 'base') + '/');
  await expect(dialog).toBeVisible();
  await field.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(4);

  await menu(page, 'File', 'Open model folder…');
  await field.fill(`${DEMO_MODELS}/`);
  await expect(dialog.getByRole('listbox')).toBeVisible();
  await field.press('Escape');
  await expect(dialog.getByRole('listbox')).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await field.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(4);
});

test('path dialog: the suggestion list leaves Cancel and the action clickable', async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const saved = join(host.home, 'mine.crucible.json');
  await menu(page, 'File', 'Save As…');
  await answerPathPrompt(page, 'Save project as', saved, 'Save');

  await menu(page, 'File', 'Open…');
  const dialog = page.getByRole('dialog', { name: 'Open project' });
  const field = dialog.getByRole('combobox', { name: 'Path' });
  await field.fill(`${DEMO_MODELS}/`);
  await expect(dialog.getByRole('option')).toHaveCount(3);
  await dialog.getByRole('button', { name: 'Cancel' }).click({ timeout: 5000 });
  await expect(dialog).toBeHidden();

  // The path of an existing file typed in full, then straight to the action button.
  await menu(page, 'File', 'Open…');
  await field.fill(saved);
  await page.waitForTimeout(300); // completions for what was typed have arrived
  await dialog.getByRole('button', { name: 'Open', exact: true }).click({ timeout: 5000 });
  await expect(dialog).toBeHidden();
  await expect(page.locator('.project-name')).toHaveText('mine');
});

test("the save and export dialogs start in the project's folder, with a file name valid on every system", async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  // The demo lives with the app: its copies go to the home folder; its name holds a colon.
  await menu(page, 'File', 'Export mergekit YAML…');
  const exportDialog = page.getByRole('dialog', { name: 'Export mergekit YAML' });
  await expect(exportDialog.getByRole('combobox', { name: 'Path' })).toHaveValue(join(host.home, 'Demo- TIES merge of two fine-tunes.yaml'));
  await exportDialog.getByRole('button', { name: 'Cancel' }).click();
  await menu(page, 'File', 'Save As…');
  const saveDialog = page.getByRole('dialog', { name: 'Save project as' });
  await expect(saveDialog.getByRole('combobox', { name: 'Path' })).toHaveValue(join(host.home, 'Demo- TIES merge of two fine-tunes.crucible.json'));
  await saveDialog.getByRole('button', { name: 'Cancel' }).click();

  const work = join(host.home, 'work');
  mkdirSync(work);
  await menu(page, 'File', 'Save As…');
  await answerPathPrompt(page, 'Save project as', join(work, 'mine.crucible.json'), 'Save');
  await menu(page, 'File', 'Export mergekit YAML…');
  await expect(exportDialog.getByRole('combobox', { name: 'Path' })).toHaveValue(join(work, 'mine.yaml'));
});
