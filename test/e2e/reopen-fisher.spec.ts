/**
 * Reopening a Fisher merge's output after its Fisher files moved: File → Open recipe from output
 * folder finds them by header hash, points each Fisher node's file at the new location and says so
 * on the node, as it does for a Model node.
 */
import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { answerPathPrompt, menu, nodeByTitle } from './editor-helpers.js';

function crucible(args: string[]): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

test("a Fisher merge's output reopens with its moved Fisher files found by header hash, shown on the Fisher nodes", async ({ page, host }) => {
  const models = join(host.home, 'models');
  const fishers = join(host.home, 'fishers');
  mkdirSync(fishers);
  for (const m of ['math', 'code']) {
    cpSync(join(DEMO_MODELS, m), join(models, m), { recursive: true });
    crucible(['fisher', join(models, m), '--text', join(ROOT, 'assets', 'probe-texts', `${m}.txt`), '--window', '32', '--out', join(fishers, `${m}.safetensors`)]);
  }
  const yaml = join(host.home, 'fisher.yaml');
  writeFileSync(
    yaml,
    ['merge_method: fisher', 'models:', '  - model: models/math', '    fisher: fishers/math.safetensors', '  - model: models/code', '    fisher: fishers/code.safetensors', ''].join('\n'),
  );
  const out = join(host.home, 'fisher-out');
  crucible(['merge', yaml, '--out', out]);
  // The Fisher files move (found again under the output's parent folder).
  const moved = join(host.home, 'kept', 'fisher-files');
  mkdirSync(join(host.home, 'kept'));
  renameSync(fishers, moved);

  page.on('dialog', (d) => void d.accept());
  await openApp(page, host);
  await menu(page, 'File', 'Open recipe from output folder…');
  await answerPathPrompt(page, 'Open recipe from output folder', out, 'Open');
  await expect(page.getByText(`Reopened the recipe of ${out}: 2 inputs found by header hash at a new location.`)).toBeVisible();
  // Models math and code, a Fisher node on each, the Fisher merge, the Output.
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  const fisherNodes = nodeByTitle(page, 'Fisher');
  await expect(fisherNodes).toHaveCount(2);
  for (const [i, m] of ['math', 'code'].entries()) {
    const node = fisherNodes.nth(i);
    await expect(node.getByRole('combobox', { name: 'Fisher file' })).toHaveValue(join(moved, `${m}.safetensors`));
    await expect(node.getByRole('note', { name: 'Input location' })).toHaveText(`Found by header hash at a new location (recorded at ${join(fishers, `${m}.safetensors`)}).`);
  }
  // The models did not move: no note on them.
  await expect(nodeByTitle(page, 'Model math').getByRole('note', { name: 'Input location' })).toHaveCount(0);
});
