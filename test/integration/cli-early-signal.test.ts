/**
 * Ctrl-C in the first moments of `crucible`, while bin/crucible.js is still loading the CLI's
 * modules: the same report as a cancellation later on (the "cancelled" line, or the JSON error
 * object under --json) and exit 130 — not a silent death by the signal.
 *
 * To be sure the signal lands in that window, the CLI runs with a module hook that holds the
 * loading of dist/electron/cli/main.js (for a minute): the launcher has run, main.ts has not.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, startCli, type CliResult } from './cli.js';

/** Whether `pid` catches `signo` (Linux: the SigCgt mask of /proc/PID/status). */
function catches(pid: number, signo: number): boolean {
  try {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m !== null && ((BigInt(`0x${m[1]}`) >> BigInt(signo - 1)) & 1n) === 1n;
  } catch {
    return false;
  }
}

/**
 * Node catches SIGINT and SIGTERM itself from its first milliseconds (to restore the terminal before
 * dying by them), but not SIGHUP: once SIGHUP is caught, the launcher's handlers (SIGINT, SIGTERM
 * and SIGHUP, installed together) are in place.
 */
const SIGHUP = 1;
const linux = process.platform === 'linux';

let dir: string;
/** NODE_OPTIONS that hold main.js's loading. */
let holdMain: string;
beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-early-signal');
  await writeFile(
    join(dir, 'hold-main-hooks.mjs'),
    "export async function load(url, context, nextLoad) {\n  if (url.endsWith('/dist/electron/cli/main.js')) await new Promise((r) => setTimeout(r, 60_000));\n  return nextLoad(url, context);\n}\n",
  );
  await writeFile(join(dir, 'hold-main.mjs'), "import { register } from 'node:module';\nregister('./hold-main-hooks.mjs', import.meta.url);\n");
  holdMain = `--import=${pathToFileURL(join(dir, 'hold-main.mjs')).href}`;
});
afterAll(removeTempDirs);

/** Starts the CLI with main.js held, and sends `signal` once the launcher handles signals. */
async function interruptWhileLoading(args: string[], signal: NodeJS.Signals): Promise<CliResult> {
  const { child, done } = startCli(args, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${holdMain}`.trim() });
  const t0 = Date.now();
  while (!catches(child.pid!, SIGHUP)) {
    if (Date.now() - t0 > 10_000) {
      child.kill('SIGKILL');
      throw new Error('the launcher installed no signal handler while the CLI loaded');
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill(signal);
  return done;
}

describe.skipIf(!linux)('a signal while the CLI loads', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: "cancelled; no output was written" on stderr, exit 130', async (signal) => {
    const res = await interruptWhileLoading(['merge', join(dir, 'recipe.yaml'), '--out', join(dir, `out-${signal}`)], signal);
    expect(res.signal).toBeNull();
    expect(res.code).toBe(130);
    expect(res.stderr).toBe('cancelled; no output was written\n');
    expect(res.stdout).toBe('');
  });

  it('with --json: the error object the CLI prints for a cancellation, and exit 130', async () => {
    const res = await interruptWhileLoading(['merge', join(dir, 'recipe.yaml'), '--out', join(dir, 'out-json'), '--json'], 'SIGINT');
    expect(res.code).toBe(130);
    expect(res.stdout).toBe('{"type":"error","message":"cancelled","file":null,"tensor":null}\n');
    expect(res.stderr).toBe('');
  });
});
