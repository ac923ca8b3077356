/** What a user does in the editor, as Playwright steps: menus, path prompts, palette, dragging edges. */
import { expect, type Locator, type Page } from '@playwright/test';

export async function menu(page: Page, menuName: 'File' | 'Edit' | 'View', item: string): Promise<void> {
  await page.getByRole('menubar').getByRole('menuitem', { name: menuName, exact: true }).click();
  await page.getByRole('menu', { name: menuName }).getByRole('menuitem', { name: item }).click();
}

/** Answer the web UI's path prompt (the stand-in for native dialogs). */
export async function answerPathPrompt(page: Page, title: string, path: string, action: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  const field = dialog.getByRole('combobox', { name: 'Path' });
  await field.fill(path);
  await field.press('Escape');
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** Wait until the demo that startup opens has landed, so it cannot land over what the test does next. */
export async function waitForDemo(page: Page): Promise<void> {
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
}

/** File → Import mergekit YAML by path, once the demo has landed. */
export async function importYamlOverDemo(page: Page, path: string): Promise<void> {
  await waitForDemo(page);
  await menu(page, 'File', 'Import mergekit YAML…');
  await answerPathPrompt(page, 'Import mergekit YAML', path, 'Import');
}

export function nodeByTitle(page: Page, title: string): Locator {
  return page.locator('.react-flow__node').filter({ has: page.locator('.node-title > span:first-child', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

export function handle(node: Locator, id: string, type: 'source' | 'target'): Locator {
  return node.locator(`.react-flow__handle.${type}[data-handleid="${id}"]`);
}

/** Drag an edge from one handle to another, as with the mouse. */
export async function dragEdge(page: Page, from: Locator, to: Locator): Promise<void> {
  await from.scrollIntoViewIfNeeded();
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export async function addFromPalette(page: Page, label: string): Promise<void> {
  const palette = page.getByRole('complementary', { name: 'Palette' });
  await palette.getByRole('searchbox', { name: 'Search nodes' }).fill(label);
  await palette.getByRole('button', { name: label, exact: true }).click();
  await palette.getByRole('searchbox', { name: 'Search nodes' }).fill('');
}

export async function fit(page: Page): Promise<void> {
  await menu(page, 'View', 'Fit');
  await page.waitForTimeout(300);
}
