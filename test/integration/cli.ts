/** Runs the built CLI (dist/) as a user would, capturing output and the exit status. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'bin', 'crucible.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'main.js'))) throw new Error('run `npm run build` before the integration tests');
}

export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** The --json lines of a run. */
export function jsonLines(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string });
}

/** Runs the CLI with `args`, expecting exit 2 with stderr matching `says`, and `path` holding the same bytes as before. */
export async function expectRefusedKeeping(args: string[], path: string, says: RegExp | string): Promise<void> {
  const before = readFileSync(path);
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(says);
  expect(readFileSync(path).equals(before)).toBe(true);
}
