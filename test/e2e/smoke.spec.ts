/** The web host serves the app behind its token, and the page connects to the service. */
import { test, expect, openApp } from './web-host-fixture.js';

test('the page connects with the token and refuses without it', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.getByRole('menuitem', { name: 'File' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Palette' }).getByRole('button', { name: 'TIES', exact: true })).toBeVisible();

  const bare = await page.request.get(`http://127.0.0.1:${host.port}/`, { headers: { cookie: '' } });
  expect(bare.status()).toBe(403);
  const wrong = await page.request.get(`http://127.0.0.1:${host.port}/?token=wrong`, { headers: { cookie: '' } });
  expect(wrong.status()).toBe(403);
});

test('first launch opens the demo project', async ({ page, host }) => {
  await openApp(page, host);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/e2e-artifacts/demo-loaded.png' });
});
