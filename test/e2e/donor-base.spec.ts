/**
 * A linear recipe with base_model through the in-page menu: the base shows wired to the merge
 * node's Base input, labelled as the donor only, and a run writes the bits `crucible merge` writes
 * from the same YAML, with the base's config.json.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS, ROOT } from './web-host-fixture.js';
import { handle, importYamlOverDemo, nodeByTitle } from './editor-helpers.js';
import { readTensors } from './safetensors-compare.js';

test('a linear recipe’s base_model shows on the merge node’s Base as the donor only, and the run takes its config', async ({ page, host }) => {
  const models = join(host.home, 'models');
  cpSync(DEMO_MODELS, models, { recursive: true });
  // The base's config.json told apart from the others' by a key of its own.
  const baseConfig = join(models, 'base', 'config.json');
  writeFileSync(baseConfig, JSON.stringify({ ...(JSON.parse(readFileSync(baseConfig, 'utf8')) as object), donor_marker: 'base' }, null, 2) + '\n');
  const yaml = join(host.home, 'donor.yaml');
  writeFileSync(
    yaml,
    [
      'merge_method: linear',
      `base_model: ${join(models, 'base')}`,
      'models:',
      `  - model: ${join(models, 'math')}`,
      '    parameters: {weight: 1}',
      `  - model: ${join(models, 'code')}`,
      '    parameters: {weight: 1}',
      'tokenizer_source: base',
      'dtype: float32',
      '',
    ].join('\n'),
  );
  await openApp(page, host);
  await importYamlOverDemo(page, yaml);

  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  const merge = nodeByTitle(page, 'Linear (model soup)');
  await expect(merge).toHaveCount(1);
  await expect(merge.locator('.port-in', { hasText: 'Base (donor only: config, tokenizer)' })).toHaveAttribute('title', /weights are not merged/);
  await expect(handle(merge, 'base', 'target')).toHaveCount(1);
  await expect(page.getByTestId('rf__edge-e-model-1-merge-1-base')).toHaveCount(1);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 60_000 });
  const out = join(host.home, 'crucible-output', 'donor');
  expect((JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { donor_marker?: string }).donor_marker).toBe('base');

  const cliOut = join(host.home, 'from-yaml');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'crucible.js'), 'merge', yaml, '--out', cliOut], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
  const app = readTensors(out);
  const fromYaml = readTensors(cliOut);
  expect([...fromYaml.keys()].sort()).toEqual([...app.keys()].sort());
  for (const [name, t] of app) expect(fromYaml.get(name)!.bytes.equals(t.bytes), name).toBe(true);
});
