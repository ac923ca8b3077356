/**
 * Write failures of `crucible merge`: a file-size limit (ulimit -f), a read-only destination
 * folder, and a destination folder removed in the middle of the run. Each ends the run with exit
 * status 2 and a message naming the output and the cause, leaves no partial files, and leaves
 * the inputs byte for byte as they were. Inputs that cannot be opened for writing still merge
 * (they are opened read-only), and an output that is, contains, or aliases an input is refused
 * before anything is written.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, CLI, runCli, type CliResult } from './cli.js';
import { startPaused, tempsIn } from './run-control.js';

let dir: string;
let models: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;
let recipe: string;
let n = 0;
const ARGS = ['--shard-size', '20KB', '--threads', '2'];

/** Every input file with its sha256 and mtime. */
function inputState(): Map<string, string> {
  const state = new Map<string, string>();
  for (const ck of [a, b]) {
    for (const name of readdirSync(ck.dir).sort()) {
      const p = join(ck.dir, name);
      state.set(p, `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`);
    }
  }
  return state;
}

function freshParent(name: string): string {
  const p = join(dir, `${name}-${n++}`);
  mkdirSync(p);
  return p;
}

/** The run failed as a write failure must: exit 2, the output named with the cause, nothing left behind. */
function expectCleanWriteFailure(r: CliResult, out: string, parent: string, cause: RegExp, inputsBefore: Map<string, string>): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  expect(r.stderr).toContain(`cannot write the output ${out}`);
  expect(r.stderr).toMatch(cause);
  expect(existsSync(out)).toBe(false);
  if (existsSync(parent)) expect(tempsIn(parent)).toEqual([]);
  expect(inputState()).toEqual(inputsBefore);
}

/** chattr +i / -i (ext2/3/4, xfs, btrfs); false when the file system or tool does not support it. */
function chattr(flag: '+i' | '-i', path: string): boolean {
  return spawnSync('chattr', [flag, path], { stdio: 'ignore' }).status === 0;
}

const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('write-failures');
  models = join(dir, 'models');
  a = await makeLlamaCheckpoint({ dir: join(models, 'a'), layers: 4, hidden: 32, intermediate: 64, seed: 1 });
  b = await makeLlamaCheckpoint({ dir: join(models, 'b'), layers: 4, hidden: 32, intermediate: 64, seed: 2 });
  recipe = join(models, 'linear.yaml');
  await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: 0.5\n  - model: b\n    parameters:\n      weight: 0.5\n');
}, 60_000);
afterAll(removeTempDirs);

describe('a write that fails', () => {
  it('past the file-size limit (ulimit -f): exit 2 naming the output and the limit, no partial files, inputs untouched', async () => {
    const before = inputState();
    const parent = freshParent('ulimit');
    const out = join(parent, 'merged');
    // 16 KiB: the headers fit, the shards (20 KB of data each) do not.
    const r = spawnSync('bash', ['-c', `ulimit -f 16; exec "${process.execPath}" "${CLI}" merge "${recipe}" --out "${out}" ${ARGS.join(' ')}`], { encoding: 'utf8' });
    expectCleanWriteFailure({ code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, out, parent, /file-size limit.*\[EFBIG\]/, before);
  });

  it('into a read-only folder: exit 2 naming the output, nothing written, inputs untouched', async (ctx) => {
    const before = inputState();
    const parent = freshParent('read-only');
    const out = join(parent, 'merged');
    // Root ignores permission bits; an immutable folder (chattr +i) stops root too.
    let undo: () => void;
    if (!isRoot) {
      chmodSync(parent, 0o555);
      undo = () => chmodSync(parent, 0o755);
    } else if (chattr('+i', parent)) {
      undo = () => chattr('-i', parent);
    } else {
      ctx.skip(); // running as root on a file system without immutable folders: no way to make a folder read-only for root
      return;
    }
    try {
      const r = await runCli(['merge', recipe, '--out', out, ...ARGS]);
      expectCleanWriteFailure(r, out, parent, /\[(EACCES|EPERM|EROFS)\]/, before);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      undo();
    }
  });

  it('because the destination folder is removed mid-run: exit 2 saying so, inputs untouched', async () => {
    const before = inputState();
    const parent = freshParent('vanishing');
    const out = join(parent, 'merged');
    const marker = join(dir, `vanishing-${n}.marker`);
    const run = await startPaused(['merge', recipe, '--out', out, ...ARGS], 'output-staged', marker);
    expect(tempsIn(parent).length).toBe(1);
    rmSync(parent, { recursive: true, force: true });
    writeFileSync(`${marker}.continue`, '');
    const r = await run.done;
    expectCleanWriteFailure(r, out, parent, /disappeared during the run/, before);
  });
});

describe('inputs are only ever read', () => {
  it('inputs that cannot be opened for writing (immutable, or read-only for a non-root user) merge normally', async (ctx) => {
    const files = [a, b].flatMap((ck) => readdirSync(ck.dir).map((f) => join(ck.dir, f)));
    const locked: string[] = [];
    try {
      for (const f of files) {
        if (!isRoot) chmodSync(f, 0o444);
        else if (chattr('+i', f)) locked.push(f);
        else {
          ctx.skip(); // root without immutable files: a write-open would succeed anyway, nothing to prove
          return;
        }
      }
      const before = inputState();
      const parent = freshParent('locked-inputs');
      const r = await runCli(['merge', recipe, '--out', join(parent, 'merged'), ...ARGS]);
      expect(r.code, r.stderr).toBe(0);
      const inspect = await runCli(['inspect', a.dir]);
      expect(inspect.code, inspect.stderr).toBe(0);
      const diff = await runCli(['diff', a.dir, b.dir]);
      expect(diff.code, diff.stderr).toBe(0);
      expect(inputState()).toEqual(before);
    } finally {
      for (const f of locked) chattr('-i', f);
      if (!isRoot) for (const f of files) chmodSync(f, 0o644);
    }
  });

  const refusals: { label: string; out: () => string; force?: boolean }[] = [
    { label: 'the output is an input folder', out: () => a.dir, force: true },
    { label: 'the output is an input file', out: () => join(a.dir, 'model.safetensors'), force: true },
    { label: 'the output contains an input', out: () => models, force: true },
    { label: 'the output is a symbolic link to an input (--force would delete it)', out: () => {
      const link = join(dir, `alias-${n++}`);
      symlinkSync(a.dir, link);
      return link;
    }, force: true },
  ];
  for (const { label, out, force } of refusals) {
    it(`refuses before the run when ${label}`, async () => {
      const before = inputState();
      const o = out();
      const r = await runCli(['merge', recipe, '--out', o, ...ARGS, ...(force ? ['--force'] : [])]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/would overwrite the input/);
      expect(r.stderr).toContain(o);
      expect(inputState()).toEqual(before);
      expect(tempsIn(dir)).toEqual([]);
    });
  }

  it('refuses an input reached through a symbolic link when --out is its real folder', async () => {
    const link = join(dir, `via-link-${n++}`);
    symlinkSync(a.dir, link);
    const r2 = join(dir, `via-link-${n++}.yaml`);
    await writeFile(r2, `merge_method: linear\nmodels:\n  - model: ${link}\n    parameters:\n      weight: 0.5\n  - model: ${b.dir}\n    parameters:\n      weight: 0.5\n`);
    const before = inputState();
    const r = await runCli(['merge', r2, '--out', a.dir, '--force', ...ARGS]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/would overwrite the input/);
    expect(inputState()).toEqual(before);
  });
});
