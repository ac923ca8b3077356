/**
 * A merge that writes Inf says so in the app's run panel, as the CLI does: two float16 models
 * summed (linear, normalize off) overflow float16's ±65504 — by hand, 60000 + 10000 = 70000 → Inf,
 * −60000 − 10000 → −Inf, 1 + 1 = 2 stays finite: 2 Inf of 3 values in that tensor.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test, expect, openApp } from './web-host-fixture.js';
import { importYamlOverDemo } from './editor-helpers.js';
import { writeHfCheckpoint } from '../helpers/hf-checkpoint.js';

test('Inf written by a float16 merge is named in the run panel, with what to do', async ({ page, host }) => {
  const name = 'model.layers.0.mlp.down_proj.weight';
  await writeHfCheckpoint(join(host.home, 'a'), [{ name, shape: [3], values: [60000, -60000, 1] }], { dtype: 'F16' });
  await writeHfCheckpoint(join(host.home, 'b'), [{ name, shape: [3], values: [10000, -10000, 1] }], { dtype: 'F16' });
  const path = join(host.home, 'sum.yaml');
  writeFileSync(
    path,
    ['merge_method: linear', 'models:', '  - model: ./a', '    parameters:', '      weight: 1', '  - model: ./b', '    parameters:', '      weight: 1', 'parameters:', '  normalize: false', 'dtype: float16', ''].join(
      '\n',
    ),
  );
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const warnings = page.locator('.run-warnings');
  await expect(warnings.locator('summary')).toHaveText(/^\d+ warnings?$/, { timeout: 30_000 });
  await warnings.locator('summary').click();
  await expect(warnings).toContainText(`tensor ${name}: 2 of 3 values written are Inf`);
  await expect(warnings).toContainText('65504');
});
