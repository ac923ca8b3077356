/**
 * Each test gets its own web host (`node dist/electron/web/main.js`, as `npm run web` runs it) with
 * a private config folder and HOME, and a page opened at the URL the host prints.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_MODELS = join(ROOT, 'assets', 'demo', 'models');

export interface Host {
  url: string;
  port: number;
  token: string;
  home: string;
  configDir: string;
  process: ChildProcess;
}

export async function startHost(opts: { delayMs?: number } = {}): Promise<Host> {
  const entry = join(ROOT, 'dist', 'electron', 'web', 'main.js');
  if (!existsSync(entry)) throw new Error('run `npm run build` before the end-to-end tests');
  const home = mkdtempSync(join(tmpdir(), 'crucible-e2e-'));
  const configDir = join(home, 'config');
  const args = [entry, '--port', '0'];
  if (opts.delayMs) args.push('--test-delay-ms-per-tensor', String(opts.delayMs));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOME: home, CRUCIBLE_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl));
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited (${code}): ${stderr}`)));
  });
  const m = /^Crucible: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/.exec(line);
  if (!m) throw new Error(`unexpected first line from the web host: ${line}`);
  return { url: m[1], port: Number(m[2]), token: m[3], home, configDir, process: child };
}

export async function stopHost(h: Host): Promise<void> {
  if (h.process.exitCode === null) {
    const exited = new Promise((r) => h.process.once('exit', r));
    h.process.kill('SIGTERM');
    await exited;
  }
  rmSync(h.home, { recursive: true, force: true });
}

/** Opens the app and waits until it is connected to its host. */
export async function openApp(page: Page, host: Host): Promise<void> {
  await page.goto(host.url);
  await expect(page.getByText('Connected')).toBeVisible();
}

export const test = base.extend<{ host: Host; slowHost: Host }>({
  host: async ({}, use) => {
    const h = await startHost();
    await use(h);
    await stopHost(h);
  },
  slowHost: async ({}, use) => {
    const h = await startHost({ delayMs: 60 });
    await use(h);
    await stopHost(h);
  },
});
export { expect };
