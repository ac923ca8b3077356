/**
 * A recipe that lists its base among its models (as many mergekit recipes do) shows that model's
 * parameters as not used, rather than a weight it "requires": the merge takes it as the base only.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { importYamlOverDemo, nodeByTitle } from './editor-helpers.js';

test('a base listed among the models: its weight field says "not used", the others still need one', async ({ page, host }) => {
  const path = join(host.home, 'listed-base.yaml');
  writeFileSync(
    path,
    [
      'merge_method: ties',
      `base_model: ${join(DEMO_MODELS, 'base')}`,
      'models:',
      `  - model: ${join(DEMO_MODELS, 'base')}`,
      `  - model: ${join(DEMO_MODELS, 'math')}`,
      '    parameters: {density: 0.5}',
      '',
    ].join('\n'),
  );
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  const ties = nodeByTitle(page, 'TIES');
  const base = ties.locator('fieldset.per-model').filter({ has: page.locator('legend', { hasText: /base$/ }) });
  const math = ties.locator('fieldset.per-model').filter({ has: page.locator('legend', { hasText: /math$/ }) });
  await expect(base).toHaveCount(1);
  await expect(math).toHaveCount(1);
  await expect(base.getByRole('spinbutton', { name: /^Weight of / })).toHaveAttribute('placeholder', 'not used');
  await expect(base).toContainText('not used (the base)');
  await expect(math.getByRole('spinbutton', { name: /^Weight of / })).toHaveAttribute('placeholder', 'required');
  await expect(math).not.toContainText('not used');
});
