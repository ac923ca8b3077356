/**
 * Driving `crucible merge` runs for the crash-safety and write-failure tests: pause at a named
 * point (electron/engine/run/test-hooks.ts), wait for it, kill or resume; compare output folders.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PausePoint } from '../../electron/engine/run/test-hooks.js';
import { startCli, type CliResult } from './cli.js';
import type { ChildProcess } from 'node:child_process';

export interface PausedRun {
  child: ChildProcess;
  done: Promise<CliResult>;
  marker: string;
}

/** Starts `crucible merge ARGS` paused at `point`; resolves once the run has reached it. */
export async function startPaused(args: string[], point: PausePoint, marker: string, env: Record<string, string> = {}): Promise<PausedRun> {
  const run = startCli(args, { ...env, CRUCIBLE_TEST_PAUSE_AT: point, CRUCIBLE_TEST_PAUSE_MARKER: marker });
  let exited: CliResult | undefined;
  void run.done.then((r) => (exited = r));
  const deadline = Date.now() + 30_000;
  while (!existsSync(marker)) {
    if (exited) throw new Error(`the run ended (${exited.code}) before reaching ${point}: ${exited.stderr}${exited.stdout}`);
    if (Date.now() > deadline) throw new Error(`the run did not reach ${point} within 30 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { ...run, marker };
}

/** SIGKILL: no handler runs, no cleanup happens — as when the machine loses power or the OOM killer strikes. */
export async function kill(run: PausedRun): Promise<void> {
  run.child.kill('SIGKILL');
  const r = await run.done;
  expect(r.signal).toBe('SIGKILL');
}

/** Every file of a folder with its bytes (one level: output folders are flat). */
export function folderContents(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out.set(name, readFileSync(p));
  }
  return out;
}

/** The folder holds exactly the reference's files, byte for byte. */
export function expectSameFolder(dir: string, reference: Map<string, Buffer>): void {
  const got = folderContents(dir);
  expect([...got.keys()]).toEqual([...reference.keys()]);
  for (const [name, bytes] of reference) {
    if (!got.get(name)!.equals(bytes)) throw new Error(`${join(dir, name)} differs from the reference output`);
  }
}

/** Names of Crucible's temporary folders in `parent`. */
export function tempsIn(parent: string): string[] {
  return readdirSync(parent).filter((n) => n.startsWith('.crucible-tmp-'));
}
