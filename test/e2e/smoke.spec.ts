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

test('the page loads without a console error, and its icon is served', async ({ page, host }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await openApp(page, host);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  // Without an icon of its own the browser asks for /favicon.ico, which is not there (a 404 in the console).
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await page.request.get(new URL(href!, page.url()).toString());
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/png');
  await page.waitForLoadState('networkidle');
  expect(problems).toEqual([]);
});
