/**
 * What the YAML reader leaves out is said in the app as on the command line: one notice counting
 * the warnings, each on its own line and readable (they used to be dropped before the page, and
 * notices shown together were drawn on top of one another).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { importYamlOverDemo } from './editor-helpers.js';

test('File → Import mergekit YAML lists the keys it ignored in one notice', async ({ page, host }) => {
  const path = join(host.home, 'typos.yaml');
  writeFileSync(
    path,
    [
      'merge_method: linear',
      'models:',
      `  - model: ${join(DEMO_MODELS, 'math')}`,
      '    parameters:',
      '      weight: 1',
      `  - model: ${join(DEMO_MODELS, 'code')}`,
      '    parameters:',
      '      weight: 1',
      'tokenzer_source: base',
      'chat_templat: chatml',
      '',
    ].join('\n'),
  );
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  const notice = page.getByRole('status').filter({ hasText: 'Imported with 2 warnings:' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('tokenzer_source');
  await expect(notice).toContainText('chat_templat');
  // One warning per line: the notice is several lines tall.
  const box = await notice.boundingBox();
  expect(box!.height).toBeGreaterThan(50);
});
