/** The Output node says, before Run, when its folder is an input model's folder or lies inside one. */
import { join } from 'node:path';
import { test, expect, openApp, DEMO_MODELS } from './web-host-fixture.js';
import { nodeByTitle, waitForDemo } from './editor-helpers.js';

test("an Output folder inside an input model's folder is noted on the node; the model's own folder says Run refuses it", async ({ page, host }) => {
  await openApp(page, host);
  await waitForDemo(page);
  const output = nodeByTitle(page, 'Output');
  const field = output.getByRole('combobox', { name: 'Output folder' });
  const note = output.getByRole('note');
  await expect(note).toHaveCount(0);

  await field.fill(join(DEMO_MODELS, 'math', 'merged'));
  await field.press('Enter');
  await expect(note).toHaveText(`Inside the input model folder ${join(DEMO_MODELS, 'math')}: the merge is written there as a new folder (the model's own files are not changed).`);

  await field.fill(join(DEMO_MODELS, 'code'));
  await field.press('Enter');
  await expect(note).toContainText(`This is the folder of the input model ${join(DEMO_MODELS, 'code')}: Run will refuse it.`);

  await field.fill(join(host.home, 'merged'));
  await field.press('Enter');
  await expect(note).toHaveCount(0);
});
