/**
 * Export mergekit YAML of a graph mergekit cannot fully express (issue 4): a DARE merge with
 * rescale_norm 'inverse' → the dialog lists the gap; Cancel (or Escape) writes nothing; Export
 * with these as comments writes the file with the gap as a '# crucible:' comment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { answerPathPrompt, menu, importYamlOverDemo } from './editor-helpers.js';

const dareInverse = [
  'merge_method: dare_ties',
  `base_model: ${join(DEMO_MODELS, 'base')}`,
  'models:',
  `  - model: ${join(DEMO_MODELS, 'math')}`,
  '    parameters:',
  '      weight: 1',
  '      density: 0.5',
  `  - model: ${join(DEMO_MODELS, 'code')}`,
  '    parameters:',
  '      weight: 1',
  '      density: 0.5',
  'parameters:',
  '  rescale_norm: inverse',
  'dtype: float32',
  '',
].join('\n');

test('a DARE merge with inverse rescale: Export lists the gap; Cancel and Escape write nothing; Export with comments writes them', async ({ page, host }) => {
  const source = join(host.home, 'dare.yaml');
  writeFileSync(source, dareInverse);
  await openApp(page, host);
  await importYamlOverDemo(page, source);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  const out = join(host.home, 'exported.yaml');
  const dialog = page.getByRole('dialog', { name: 'Not expressible in mergekit' });

  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', out, 'Export');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('listitem')).toHaveCount(1);
  await expect(dialog.getByRole('listitem')).toContainText("rescale_norm 'inverse'");
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect(existsSync(out)).toBe(false);

  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', out, 'Export');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(existsSync(out)).toBe(false);

  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', out, 'Export');
  await dialog.getByRole('button', { name: 'Export with these as comments' }).click();
  await expect(page.getByText(`Exported ${out}`)).toBeVisible();
  const text = readFileSync(out, 'utf8');
  expect(text).toMatch(/^# crucible: /);
  expect(text).toMatch(/# crucible: .*rescale_norm 'inverse'/);
  expect(text).toContain('\nmerge_method: dare_ties\n');
  expect(text).toContain('  rescale_norm: inverse\n');
});
