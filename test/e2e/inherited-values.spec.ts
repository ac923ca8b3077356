/**
 * What an empty parameter field gives, as the editor shows it and exports it:
 * (a) a Layer assembly's rows and sources show the value they inherit from the level above (the
 *     node's value for every row, else the row's), as a merge node's model rows show 'all models: 0.4';
 * (b) a Task Vector input of a Task arithmetic node inherits the weight set for all models on the
 *     node: shown as such on its row, and exported without a weight of its own;
 * (c) with no weight set anywhere, it shows the weight 1 it enters at, where a Model input requires one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Page } from '@playwright/test';
import { test, expect, openApp, DEMO_MODELS, type Host } from './web-host-fixture.js';
import { answerPathPrompt, importYamlOverDemo, menu, nodeByTitle, waitForDemo } from './editor-helpers.js';

const blend = () =>
  [
    'merge_method: linear',
    'slices:',
    '  - sources:',
    `      - model: ${join(DEMO_MODELS, 'math')}`,
    '        layer_range: [0, 4]',
    `      - model: ${join(DEMO_MODELS, 'code')}`,
    '        layer_range: [0, 4]',
    '  - sources:',
    `      - model: ${join(DEMO_MODELS, 'math')}`,
    '        layer_range: [4, 8]',
    '        parameters: {weight: 0.2}',
    `      - model: ${join(DEMO_MODELS, 'code')}`,
    '        layer_range: [4, 8]',
    '    parameters: {weight: 0.7}',
    'parameters:',
    '  weight: 0.4',
    'dtype: float32',
    '',
  ].join('\n');

test('Layer assembly rows and sources show what an empty field inherits: the value for every row, else the row’s', async ({ page, host }) => {
  const path = join(host.home, 'blend.yaml');
  writeFileSync(path, blend());
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  const asm = nodeByTitle(page, 'Layer assembly');
  const rows = asm.getByRole('list', { name: 'Rows' });
  await expect(rows.getByRole('listitem')).toHaveCount(2);
  const row = (n: number) => rows.getByRole('listitem', { name: `Row ${n}`, exact: true });
  await row(1).getByText('Parameters of row 1').click();
  await row(2).getByText('Parameters of row 2').click();

  // Row 1 sets no weight: it and its sources inherit the node's 0.4.
  const row1 = asm.getByRole('spinbutton', { name: 'Weight of row 1', exact: true });
  await expect(row1).toHaveValue('0.4');
  await expect(row1).toHaveAttribute('placeholder', '0.4');
  await expect(asm.getByRole('spinbutton', { name: 'Weight of row 1 source 1' })).toHaveAttribute('placeholder', '0.4');
  await expect(row(1).getByText('every row: 0.4')).toHaveCount(3);

  // Row 2 sets 0.7 (and still says what its empty field gives, the node's 0.4); its second source
  // inherits the row's 0.7; its first sets 0.2 and says the same.
  const row2 = asm.getByRole('spinbutton', { name: 'Weight of row 2', exact: true });
  await expect(row2).toHaveValue('0.7');
  await expect(row2).toHaveAttribute('placeholder', '0.4');
  const second = asm.getByRole('spinbutton', { name: 'Weight of row 2 source 2' });
  await expect(second).toHaveValue('0.7');
  await expect(second).toHaveAttribute('placeholder', '0.7');
  const first = asm.getByRole('spinbutton', { name: 'Weight of row 2 source 1' });
  await expect(first).toHaveValue('0.2');
  await expect(first).toHaveAttribute('placeholder', '0.7');
  await expect(row(2).getByText('every row: 0.4')).toHaveCount(1);
  await expect(row(2).getByText('row 2: 0.7')).toHaveCount(2);
});

/**
 * Opens a project: the task vector math − base (a Task Vector node) and the model code into a Task
 * arithmetic merge on base, with these parameters for all models and per input.
 */
async function openTaskVectorProject(page: Page, host: Host, params: Record<string, number>, modelParams: Record<string, Record<string, number>>): Promise<void> {
  const base = join(DEMO_MODELS, 'base');
  const project = {
    format: 'crucible-project',
    version: 2,
    name: 'tv',
    nodes: [
      { id: 'base', position: { x: 0, y: 0 }, data: { kind: 'model', path: base } },
      { id: 'math', position: { x: 0, y: 300 }, data: { kind: 'model', path: join(DEMO_MODELS, 'math') } },
      { id: 'code', position: { x: 0, y: 600 }, data: { kind: 'model', path: join(DEMO_MODELS, 'code') } },
      { id: 'tv', position: { x: 330, y: 300 }, data: { kind: 'taskVector' } },
      { id: 'ta', position: { x: 660, y: 0 }, data: { kind: 'merge', method: 'task_arithmetic', params, modelParams } },
      { id: 'out', position: { x: 990, y: 0 }, data: { kind: 'output', folder: 'tv-out', dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false } },
    ],
    edges: [
      { id: 'e1', source: 'math', sourceHandle: 'weights', target: 'tv', targetHandle: 'model' },
      { id: 'e2', source: 'base', sourceHandle: 'weights', target: 'tv', targetHandle: 'base' },
      { id: 'e3', source: 'base', sourceHandle: 'weights', target: 'ta', targetHandle: 'base' },
      { id: 'e4', source: 'tv', sourceHandle: 'taskVector', target: 'ta', targetHandle: 'models' },
      { id: 'e5', source: 'code', sourceHandle: 'weights', target: 'ta', targetHandle: 'models' },
      { id: 'e6', source: 'ta', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ],
  };
  const file = join(host.home, 'tv.crucible.json');
  writeFileSync(file, JSON.stringify(project, null, 2));
  await openApp(page, host);
  await waitForDemo(page);
  await menu(page, 'File', 'Open…');
  await answerPathPrompt(page, 'Open project', file, 'Open');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
}

test('a Task Vector input inherits the weight set for all models: shown on its row, exported without a weight of its own', async ({ page, host }) => {
  await openTaskVectorProject(page, host, { weight: 0.4 }, {});
  const ta = nodeByTitle(page, 'Task arithmetic');
  const weight = ta.getByRole('spinbutton', { name: 'Weight of Task vector' });
  await expect(weight).toHaveValue('0.4');
  await expect(weight).toHaveAttribute('placeholder', '0.4');
  await expect(ta.locator('fieldset', { hasText: 'Task vector' }).getByText('all models: 0.4')).toBeVisible();

  const out = join(host.home, 'tv.yaml');
  await menu(page, 'File', 'Export mergekit YAML…');
  await answerPathPrompt(page, 'Export mergekit YAML', out, 'Export');
  await expect(page.getByText(`Exported ${out}`)).toBeVisible();
  const doc = parse(readFileSync(out, 'utf8')) as { models: { model: string; parameters?: unknown }[]; parameters: unknown };
  // The task vector math − base is the model math over the base, at the node's weight (the top level), as is code.
  expect(doc.models).toEqual([{ model: expect.stringMatching(/math$/) }, { model: expect.stringMatching(/code$/) }]);
  expect(doc.parameters).toEqual({ weight: 0.4 });
});

test('a Task Vector input with no weight anywhere shows the 1 it enters at, not "required", and the node can run', async ({ page, host }) => {
  await openTaskVectorProject(page, host, {}, { code: { weight: 0.5 } });
  const ta = nodeByTitle(page, 'Task arithmetic');
  const tvRow = ta.locator('fieldset', { hasText: 'Task vector' });
  await expect(tvRow.getByRole('spinbutton', { name: 'Weight of Task vector' })).toHaveAttribute('placeholder', '1');
  await expect(tvRow.getByText('default 1')).toBeVisible();
  await expect(tvRow.getByText('required')).toHaveCount(0);
  // A model input still requires its weight: it has no implied one.
  const codeRow = ta.locator('fieldset', { hasText: 'Model code' });
  await expect(codeRow.getByText('required')).toBeVisible();
  await expect(ta.locator('.node-problem')).toHaveCount(0);
});
