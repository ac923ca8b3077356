/**
 * Electron smoke test: launches the packaged-layout app (`electron .`), checks the window's security
 * settings and runs the demo. Electron's binary cannot be downloaded on every machine: without it
 * the test reports a skip saying so.
 */
import { test, expect, _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Electron binary's path, or why there is none (never triggers a download). */
function electronBinary(): { path: string } | { reason: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'no Electron binary: node_modules/electron was installed without downloading it (ELECTRON_SKIP_BINARY_DOWNLOAD or no network)' };
  const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { reason: `no Electron binary at ${bin}` };
}

const found = electronBinary();

test('the desktop window is secure and runs the demo', async () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '');
  if (!('path' in found)) return;
  const config = mkdtempSync(join(tmpdir(), 'crucible-electron-'));
  const app = await electron.launch({ executablePath: found.path, args: [ROOT], env: { ...process.env, CRUCIBLE_CONFIG_DIR: config } });
  try {
    const page = await app.firstWindow();
    // Every renderer is sandboxed (app.enableSandbox), and the page has no Node.
    expect(await app.evaluate(({ app: a }) => a.commandLine.hasSwitch('enable-sandbox'))).toBe(true);
    // Context isolation: the bridge is a frozen copy, not the preload's object.
    expect(await page.evaluate(() => Object.isFrozen((window as unknown as { crucible?: object }).crucible))).toBe(true);
    // Permission requests are denied.
    expect(await page.evaluate(() => Notification.requestPermission())).toBe('denied');
    // The CSP forbids inline scripts.
    expect(await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
      return (window as unknown as { __inline?: number }).__inline;
    })).toBeUndefined();
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => (window as unknown as { crucible?: { host: string } }).crucible?.host)).toBe('desktop');
    // New windows and navigation are refused.
    await page.evaluate(() => window.open('https://example.com'));
    await page.waitForTimeout(300);
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(() => (location.href = 'https://example.com'));
    await page.waitForTimeout(300);
    expect(page.url()).toBe('crucible://app/index.html');

    await expect(page.getByText('LlamaForCausalLM')).toHaveCount(3);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('status', { name: 'Run status' })).toHaveText('Done.', { timeout: 30_000 });
    await expect(page.getByLabel('Summary')).toContainText('75 tensors written');
  } finally {
    await app.close();
    rmSync(config, { recursive: true, force: true });
  }
});
