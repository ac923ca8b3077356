/**
 * Issue 6 in the app, as a user: a project with the new nodes is opened, and
 * (a) an Align node on two models from different initialisations shows, per permutation group, the
 *     matching objective before and after and the units moved, and runs the barrier preview before
 *     and after alignment side by side;
 * (b) a LoRA node (as a task vector over its base) feeding Task arithmetic runs, and the written
 *     q_proj of layer 0 is the fixture's expected merged weight;
 * (c) Fisher nodes estimating on probe text say it is practical on CPU up to roughly 100M
 *     parameters and estimate the time before anything starts; Run estimates both, then the Fisher
 *     merge writes Σ w F x / Σ w F, checked here from the files.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeLlamaCheckpoint } from '../helpers/hf-checkpoint.js';
import { answerPathPrompt, menu, nodeByTitle } from './editor-helpers.js';
import { f32, readTensorFile, readTensors } from './safetensors-compare.js';
import { DEMO_MODELS, ROOT, expect, openApp, test, type Host } from './web-host-fixture.js';
import type { Page } from '@playwright/test';

const FIXTURES = join(ROOT, 'test', 'fixtures');

interface ProjectNode {
  id: string;
  data: Record<string, unknown>;
}

type LaidOutNode = ProjectNode & { column: number; row: number };

/** Writes a project file (nodes laid out left to right by `column`); resolves with its path. */
async function writeProject(host: Host, name: string, nodes: LaidOutNode[], edges: [string, string, string, string][]): Promise<string> {
  const path = join(host.home, `${name}.crucible.json`);
  const project = {
    format: 'crucible-project',
    version: 2,
    name,
    nodes: nodes.map((n) => ({ id: n.id, position: { x: n.column * 330, y: n.row * 300 }, data: n.data })),
    edges: edges.map(([source, sourceHandle, target, targetHandle], i) => ({ id: `e${i}`, source, sourceHandle, target, targetHandle })),
  };
  await writeFile(path, JSON.stringify(project, null, 2));
  return path;
}

/** File → Open of a project file, waiting until its nodes and edges are on the canvas. */
async function openProjectFile(page: Page, path: string, nodes: number, edges: number): Promise<void> {
  await menu(page, 'File', 'Open…');
  await answerPathPrompt(page, 'Open project', path, 'Open');
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await expect(page.locator('.react-flow__edge')).toHaveCount(edges);
}

/** Writes a project file and opens it with File → Open. */
async function openProject(page: Page, host: Host, name: string, nodes: LaidOutNode[], edges: [string, string, string, string][]): Promise<void> {
  const path = await writeProject(host, name, nodes, edges);
  await openApp(page, host);
  await openProjectFile(page, path, nodes.length, edges.length);
}

const output = (folder: string) => ({ kind: 'output', folder, dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false });

test('Align: per group the objective before/after and units moved; the barrier before and after alignment side by side', async ({ page, host }, testInfo) => {
  const shape = { layers: 2, hidden: 16, intermediate: 32, vocab: 256, heads: 4, kvHeads: 2, tokenizer: false };
  await makeLlamaCheckpoint({ ...shape, dir: join(host.home, 'init-a'), seed: 101 });
  await makeLlamaCheckpoint({ ...shape, dir: join(host.home, 'init-b'), seed: 202 });
  await openProject(
    page,
    host,
    'align',
    [
      { id: 'a', column: 0, row: 0, data: { kind: 'model', path: join(host.home, 'init-a') } },
      { id: 'b', column: 0, row: 1, data: { kind: 'model', path: join(host.home, 'init-b') } },
      { id: 'al', column: 1, row: 0, data: { kind: 'align', folder: 'aligned-b', seed: 0, maxSweeps: 100 } },
    ],
    [
      ['a', 'weights', 'al', 'reference'],
      ['b', 'weights', 'al', 'model'],
    ],
  );
  const align = nodeByTitle(page, 'Align');
  await align.getByRole('button', { name: 'Barrier before/after' }).click();
  await expect(align.getByRole('status', { name: 'Stage status' })).toHaveText('Done: B aligned to A.', { timeout: 60_000 });
  expect(existsSync(join(host.home, 'aligned-b', 'model.safetensors'))).toBe(true);

  // Per group: the matching objective before and after, and how many units moved.
  const table = align.getByRole('table', { name: 'Alignment per group' });
  const rows = table.locator('tbody tr');
  // Two layers × (MLP units + attention heads) + the residual stream.
  await expect(rows).toHaveCount(5);
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  let movedSomewhere = false;
  for (const [group, before, after, moved] of cells) {
    expect(group).not.toBe('');
    // Weight matching never lowers a group's objective ⟨A, PB⟩ (coordinate ascent from the identity).
    expect(Number(after), group).toBeGreaterThanOrEqual(Number(before) - 1e-3);
    const m = /^(\d+)\/(\d+)/.exec(moved);
    expect(m, `${group} moved '${moved}'`).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(Number(m![2]));
    if (Number(m![1]) > 0) movedSomewhere = true;
  }
  // Two independent initialisations: some units are out of place.
  expect(movedSomewhere).toBe(true);
  await expect(align.locator('summary')).toContainText(/Σ⟨A, B⟩ .* → .* (converged|stopped) after \d+ sweeps?/);

  // The barrier preview A → B before alignment and A → aligned B after, shown side by side.
  const panel = page.getByRole('complementary', { name: 'Barrier preview' });
  const before = panel.getByRole('region', { name: 'Barrier preview Before alignment: A → B' });
  const after = panel.getByRole('region', { name: 'Barrier preview After alignment: A → aligned B' });
  await expect(before.getByRole('status', { name: 'Barrier status' })).toHaveText(/^Done: \d+ points\.$/, { timeout: 90_000 });
  await expect(after.getByRole('status', { name: 'Barrier status' })).toHaveText(/^Done: \d+ points\.$/, { timeout: 90_000 });
  await expect(panel.locator('.barrier-panel.side-by-side')).toHaveCount(1);
  await expect(before.getByLabel('Barrier height')).toHaveText(/^Barrier height: -?\d+\.\d{5} nats$/);
  await expect(after.getByLabel('Barrier height')).toHaveText(/^Barrier height: -?\d+\.\d{5} nats$/);
  // Aligned B computes the same function as B: the line's end at B has the same loss before and after.
  const endpoints = async (card: typeof before) => (await card.locator('table.barrier-table tbody tr').first().locator('td').nth(1).textContent()) ?? '';
  expect(await endpoints(after)).toBe(await endpoints(before));
  const boxBefore = await before.boundingBox();
  const boxAfter = await after.boundingBox();
  expect(boxBefore && boxAfter && Math.abs(boxBefore.y - boxAfter.y) < 5 && boxAfter.x > boxBefore.x).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('align-barriers.png') });
});

test('Align and Fisher results are gone once another project is opened, even on nodes of the same ids; the Fisher estimate is planned again', async ({ page, host }) => {
  page.on('dialog', (d) => void d.accept());
  const shape = { layers: 2, hidden: 16, intermediate: 32, vocab: 256, heads: 4, kvHeads: 2, tokenizer: false };
  await makeLlamaCheckpoint({ ...shape, dir: join(host.home, 'init-a'), seed: 101 });
  await makeLlamaCheckpoint({ ...shape, dir: join(host.home, 'init-b'), seed: 202 });
  const nodes: LaidOutNode[] = [
    { id: 'a', column: 0, row: 0, data: { kind: 'model', path: join(host.home, 'init-a') } },
    { id: 'b', column: 0, row: 1, data: { kind: 'model', path: join(host.home, 'init-b') } },
    { id: 'al', column: 1, row: 0, data: { kind: 'align', folder: 'aligned-b', seed: 0, maxSweeps: 100 } },
    { id: 'math', column: 0, row: 2, data: { kind: 'model', path: join(DEMO_MODELS, 'math') } },
    { id: 'fmath', column: 1, row: 2, data: { kind: 'fisher', source: 'estimate', file: 'fisher-math.safetensors', texts: [{ kind: 'bundled', name: 'math.txt' }], window: 64 } },
  ];
  const edges: [string, string, string, string][] = [
    ['a', 'weights', 'al', 'reference'],
    ['b', 'weights', 'al', 'model'],
    ['math', 'weights', 'fmath', 'model'],
  ];
  await openProject(page, host, 'results', nodes, edges);
  const align = nodeByTitle(page, 'Align');
  const fisher = nodeByTitle(page, 'Fisher');
  const plan = fisher.getByRole('status', { name: 'Fisher estimate plan' });

  await expect(plan).toHaveText(/^\d+ windows of probe text/, { timeout: 30_000 });
  await fisher.getByRole('button', { name: 'Estimate Fisher' }).click();
  await expect(fisher.getByRole('status', { name: 'Stage status' })).toHaveText('Done: Fisher written.', { timeout: 60_000 });
  // Last: the barrier panel it opens covers part of the canvas.
  await align.getByRole('button', { name: 'Barrier before/after' }).click();
  await expect(align.getByRole('status', { name: 'Stage status' })).toHaveText('Done: B aligned to A.', { timeout: 60_000 });
  await expect(align.getByRole('table', { name: 'Alignment per group' })).toBeVisible();
  await expect(align.locator('summary')).toContainText('Σ⟨A, B⟩');
  const barrier = page.getByRole('complementary', { name: 'Barrier preview' });
  const before = barrier.getByRole('region', { name: 'Barrier preview Before alignment: A → B' });
  await expect(before.getByRole('status', { name: 'Barrier status' })).toHaveText(/^Done: \d+ points\.$/, { timeout: 90_000 });

  // Another project, with nodes of the same ids and settings: nothing of the old one's results shows on them.
  const again = await writeProject(host, 'results-again', nodes, edges);
  await openProjectFile(page, again, nodes.length, edges.length);
  await expect(page.locator('.project-name')).toHaveText('results-again');
  await expect(align.getByRole('status', { name: 'Stage status' })).toHaveCount(0);
  await expect(align.getByRole('table', { name: 'Alignment per group' })).toHaveCount(0);
  await expect(align.getByText('Σ⟨A, B⟩')).toHaveCount(0);
  await expect(before).toHaveCount(0);
  await expect(fisher.getByRole('status', { name: 'Stage status' })).toHaveCount(0);
  // The estimate is planned again for this project: the file the old one wrote is found and would be reused.
  await expect(plan).toHaveText(/^\d+ windows of probe text .* the file already holds this Fisher \(\d+ windows\): it is reused$/, { timeout: 30_000 });
  await expect(fisher.getByRole('button', { name: 'Estimate again' })).toBeEnabled();
});

test('LoRA: an adapter as a task vector into Task arithmetic runs, and writes the expected merged weight', async ({ page, host }) => {
  const base = join(FIXTURES, 'tiny-llama');
  await openProject(
    page,
    host,
    'lora',
    [
      { id: 'base', column: 0, row: 0, data: { kind: 'model', path: base } },
      { id: 'lo', column: 1, row: 0, data: { kind: 'lora', adapter: join(FIXTURES, 'tiny-lora'), mode: 'taskVector' } },
      { id: 'ta', column: 2, row: 0, data: { kind: 'merge', method: 'task_arithmetic', params: {}, modelParams: { lo: { weight: 1 } } } },
      { id: 'out', column: 3, row: 0, data: output('lora-out') },
    ],
    [
      ['base', 'weights', 'lo', 'base'],
      ['base', 'weights', 'ta', 'base'],
      ['lo', 'taskVector', 'ta', 'models'],
      ['ta', 'weights', 'out', 'weights'],
    ],
  );
  await expect(nodeByTitle(page, 'LoRA tiny-lora')).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 45_000 });

  const written = readTensors(join(host.home, 'lora-out'));
  const name = 'model.layers.0.self_attn.q_proj.weight';
  const want = f32(readTensorFile(join(FIXTURES, 'tiny-lora', 'expected-merged-q_proj-0.safetensors')).get(name));
  const got = f32(written.get(name));
  const baseQ = f32(readTensors(base).get(name));
  expect(got.length).toBe(want.length);
  let changed = 0;
  for (let k = 0; k < want.length; k++) {
    expect(Math.abs(got[k] - want[k]), `${name}[${k}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[k])));
    if (want[k] !== baseQ[k]) changed++;
  }
  // The adapter does change the weight (so the check above is not the base compared with itself).
  expect(changed).toBeGreaterThan(want.length / 2);
  // A tensor the adapter does not target is the base's.
  const k0 = 'model.layers.0.self_attn.k_proj.weight';
  expect(Buffer.compare(written.get(k0)!.bytes, readTensors(base).get(k0)!.bytes)).toBe(0);
});

test('Fisher: the estimate says it is practical on CPU up to ~100M parameters and gives its time first; Run estimates, then Fisher-merges', async ({ page, host }) => {
  const fisherNode = (file: string) => ({ kind: 'fisher', source: 'estimate', file, texts: [{ kind: 'bundled', name: 'math.txt' }], window: 64 });
  await openProject(
    page,
    host,
    'fisher',
    [
      { id: 'math', column: 0, row: 0, data: { kind: 'model', path: join(DEMO_MODELS, 'math') } },
      { id: 'code', column: 0, row: 2, data: { kind: 'model', path: join(DEMO_MODELS, 'code') } },
      { id: 'fmath', column: 1, row: 0, data: fisherNode('fisher-math.safetensors') },
      { id: 'fcode', column: 1, row: 2, data: fisherNode('fisher-code.safetensors') },
      { id: 'fm', column: 2, row: 1, data: { kind: 'merge', method: 'fisher', params: {}, modelParams: { math: { weight: 2 }, code: { weight: 1 } } } },
      { id: 'out', column: 3, row: 1, data: output('fisher-out') },
    ],
    [
      ['math', 'weights', 'fmath', 'model'],
      ['code', 'weights', 'fcode', 'model'],
      ['math', 'weights', 'fm', 'models'],
      ['code', 'weights', 'fm', 'models'],
      ['fmath', 'fisher', 'fm', 'fishers'],
      ['fcode', 'fisher', 'fm', 'fishers'],
      ['fm', 'weights', 'out', 'weights'],
    ],
  );
  const fisherNodes = page.locator('.react-flow__node').filter({ has: page.getByRole('status', { name: 'Fisher estimate plan' }) });
  await expect(fisherNodes).toHaveCount(2);
  for (const node of [fisherNodes.nth(0), fisherNodes.nth(1)]) {
    await expect(node.getByLabel('Fisher estimate cost')).toContainText('practical up to roughly 100M parameters');
    // The time is estimated first; nothing has been estimated yet.
    await expect(node.getByRole('status', { name: 'Fisher estimate plan' })).toHaveText(/^\d+ windows of probe text \(\d+ tokens\) · [\d.]+k parameters · (under a second|about \d+ s|about \d+ min) on this machine · .* of memory$/, {
      timeout: 30_000,
    });
    await expect(node.getByRole('status', { name: 'Stage status' })).toHaveCount(0);
  }
  expect(existsSync(join(host.home, 'fisher-math.safetensors'))).toBe(false);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 120_000 });
  for (const node of [fisherNodes.nth(0), fisherNodes.nth(1)]) await expect(node.getByRole('status', { name: 'Stage status' })).toHaveText('Done: Fisher written.');

  // Spec §4 from the files themselves: Σ w (F + ε) x / Σ w (F + ε), weights 2 (math) and 1 (code).
  const xm = readTensors(join(DEMO_MODELS, 'math'));
  const xc = readTensors(join(DEMO_MODELS, 'code'));
  const fm = readTensorFile(join(host.home, 'fisher-math.safetensors'));
  const fc = readTensorFile(join(host.home, 'fisher-code.safetensors'));
  const got = readTensors(join(host.home, 'fisher-out'));
  expect(got.size).toBe(xm.size);
  let differsFromMean = 0;
  for (const [name, t] of xm) {
    const [x1, x2, f1, f2, out] = [f32(t), f32(xc.get(name)), f32(fm.get(name)), f32(fc.get(name)), f32(got.get(name))];
    for (let k = 0; k < x1.length; k++) {
      const c1 = 2 * (f1[k] + 1e-8);
      const c2 = f2[k] + 1e-8;
      const want = (c1 * x1[k] + c2 * x2[k]) / (c1 + c2);
      if (!(Math.abs(out[k] - want) <= 1e-5 * Math.max(1e-3, Math.abs(x1[k]), Math.abs(x2[k])))) throw new Error(`${name}[${k}]: ${out[k]} ≠ ${want}`);
      if (Math.abs(out[k] - (2 * x1[k] + x2[k]) / 3) > 1e-4) differsFromMean++;
    }
  }
  // The Fisher weighting matters: it is not the plain weighted mean.
  expect(differsFromMean).toBeGreaterThan(1000);
});
