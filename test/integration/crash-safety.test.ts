/**
 * Crash safety of `crucible merge`: the process is SIGKILLed at named points of a run (reading,
 * mid-shard, just before and after the final rename, in the middle of a --force swap). Each time
 * the destination holds either nothing or the complete output, byte for byte the same as an
 * uninterrupted run's (itself checked against the weighted mean computed here), and the next run
 * in the same folder cleans the leftovers — restoring an old output a killed --force run had
 * moved aside. The app's project autosave is killed the same way, mid-write, again and again.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PausePoint } from '../../electron/engine/run/test-hooks.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { Autosave } from '../../electron/service/autosave.js';
import { makeRng } from '../helpers/prng.js';
import { assertBuilt, jsonLines, ROOT, runCli, startCli } from './cli.js';
import { expectSameFolder, folderContents, kill, startPaused, tempsIn } from './run-control.js';

const fr = Math.fround;
let dir: string;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;
let recipe: string;
let otherRecipe: string;
/** What an uninterrupted run writes (and, for --force, the distinguishable older output). */
let reference: Map<string, Buffer>;
let older: Map<string, Buffer>;
let n = 0;

/** Several shards, so that a kill can land between and inside them. */
const ARGS = ['--shard-size', '20KB', '--threads', '2'];

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('crash-safety');
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 4, hidden: 32, intermediate: 64, seed: 1 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 4, hidden: 32, intermediate: 64, seed: 2 });
  recipe = join(dir, 'models', 'linear.yaml');
  await writeFile(recipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: 0.5\n  - model: b\n    parameters:\n      weight: 0.5\n');
  otherRecipe = join(dir, 'models', 'other.yaml');
  await writeFile(otherRecipe, 'merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: 0.2\n  - model: b\n    parameters:\n      weight: 0.8\n');

  const ref = join(dir, 'reference');
  const r = await runCli(['merge', recipe, '--out', ref, ...ARGS]);
  expect(r.code, r.stderr).toBe(0);
  reference = folderContents(ref);
  expect([...reference.keys()].filter((k) => k.endsWith('.safetensors')).length).toBeGreaterThanOrEqual(3);
  // The reference itself is right: the mean of the two models, computed here in float32.
  const merged = await readCheckpointF32(ref);
  for (const [name, va] of a.tensors) {
    const vb = b.tensors.get(name)!;
    const got = merged.get(name)!;
    for (let i = 0; i < va.length; i++) {
      const want = fr(fr(fr(0.5) * va[i]) + fr(fr(0.5) * vb[i]));
      if (got[i] !== want) throw new Error(`${name}[${i}]: ${got[i]} ≠ ${want}`);
    }
  }
  const old = join(dir, 'older');
  expect((await runCli(['merge', otherRecipe, '--out', old, ...ARGS])).code).toBe(0);
  older = folderContents(old);
}, 120_000);
afterAll(removeTempDirs);

/** A fresh parent folder for one scenario (so that leftovers are only this scenario's). */
function parentFor(name: string): string {
  return join(dir, `${name}-${n++}`);
}

async function mkdirp(p: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(p, { recursive: true });
}

describe('crucible merge killed with SIGKILL', () => {
  const points: { point: PausePoint; complete: boolean }[] = [
    { point: 'inputs-read', complete: false },
    { point: 'output-staged', complete: false },
    { point: 'before-commit', complete: false },
    { point: 'before-rename', complete: false },
    { point: 'after-rename', complete: true },
  ];
  for (const { point, complete } of points) {
    it(`at ${point}: the output is ${complete ? 'complete' : 'absent'}, and the next run cleans up and succeeds`, async () => {
      const parent = parentFor(point);
      await mkdirp(parent);
      const out = join(parent, 'merged');
      const run = await startPaused(['merge', recipe, '--out', out, ...ARGS], point, join(parent, '..', `${point}.marker`));
      await kill(run);
      if (complete) expectSameFolder(out, reference);
      else expect(existsSync(out)).toBe(false);
      if (point !== 'inputs-read' && !complete) expect(tempsIn(parent).length).toBe(1); // visible, named leftovers

      // The next run in the same folder removes what the killed one left, and writes the output.
      const again = await runCli(['merge', recipe, '--out', out, ...ARGS, ...(complete ? ['--force'] : [])]);
      expect(again.code, again.stderr).toBe(0);
      expectSameFolder(out, reference);
      expect(tempsIn(parent)).toEqual([]);
    });
  }

  it('mid-shard (tensors being written): no output, and the next run cleans up', async () => {
    const parent = parentFor('mid-shard');
    await mkdirp(parent);
    const out = join(parent, 'merged');
    const run = startCli(['merge', recipe, '--out', out, ...ARGS, '--json'], { CRUCIBLE_TEST_DELAY_MS: '40' });
    let stdout = '';
    run.child.stdout!.on('data', (d) => (stdout += d));
    const deadline = Date.now() + 30_000;
    while (jsonLines(stdout).filter((l) => l.type === 'tensor').length < 5) {
      if (Date.now() > deadline) throw new Error(`no progress: ${stdout}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(jsonLines(stdout).some((l) => l.type === 'done')).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(tempsIn(parent).length).toBe(1);

    const again = await runCli(['merge', recipe, '--out', out, ...ARGS]);
    expect(again.code, again.stderr).toBe(0);
    expectSameFolder(out, reference);
    expect(tempsIn(parent)).toEqual([]);
  });

  describe('--force over an existing output', () => {
    async function withOlderOutput(name: string): Promise<{ parent: string; out: string }> {
      const parent = parentFor(name);
      await mkdirp(parent);
      const out = join(parent, 'merged');
      cpSync(join(dir, 'older'), out, { recursive: true });
      return { parent, out };
    }

    it('killed just before the rename: the old output is still there, whole', async () => {
      const { parent, out } = await withOlderOutput('force-before');
      await kill(await startPaused(['merge', recipe, '--out', out, '--force', ...ARGS], 'before-rename', join(parent, '..', 'force-before.marker')));
      expectSameFolder(out, older);
      const again = await runCli(['merge', recipe, '--out', out, '--force', ...ARGS]);
      expect(again.code, again.stderr).toBe(0);
      expectSameFolder(out, reference);
      expect(tempsIn(parent)).toEqual([]);
    });

    it('killed mid-swap (old moved aside, new not yet in): the next run puts the old output back, and refuses to replace it without --force', async () => {
      const { parent, out } = await withOlderOutput('force-mid');
      await kill(await startPaused(['merge', recipe, '--out', out, '--force', ...ARGS], 'mid-swap', join(parent, '..', 'force-mid.marker')));
      expect(existsSync(out)).toBe(false);
      expect(tempsIn(parent).some((t) => t.endsWith('-old'))).toBe(true);

      const refused = await runCli(['merge', recipe, '--out', out, ...ARGS]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('already exists');
      expectSameFolder(out, older);
      expect(tempsIn(parent)).toEqual([]);

      const forced = await runCli(['merge', recipe, '--out', out, '--force', ...ARGS]);
      expect(forced.code, forced.stderr).toBe(0);
      expectSameFolder(out, reference);
    });

    it('killed just after the rename: the new output is complete, and the old one is gone', async () => {
      const { parent, out } = await withOlderOutput('force-after');
      await kill(await startPaused(['merge', recipe, '--out', out, '--force', ...ARGS], 'after-rename', join(parent, '..', 'force-after.marker')));
      expectSameFolder(out, reference);
      const other = await runCli(['merge', recipe, '--out', join(parent, 'second'), ...ARGS]);
      expect(other.code, other.stderr).toBe(0);
      expect(tempsIn(parent)).toEqual([]);
      expectSameFolder(out, reference);
    });
  });
});

describe('the project autosave killed with SIGKILL mid-write', () => {
  /** A child process autosaving ever newer versions (v0, v1, ...) of a large project, as the app does. */
  const WRITER = `
    import { Autosave } from ${JSON.stringify(join(ROOT, 'dist/electron/service/autosave.js'))};
    import { readFileSync } from 'node:fs';
    const demo = JSON.parse(readFileSync(${JSON.stringify(join(ROOT, 'assets/demo/demo.crucible.json'))}, 'utf8'));
    // About 1 MB per version, so that a kill often lands inside a write.
    const filler = Array.from({ length: 4000 }, (_, i) => ({ id: 'm' + i, position: { x: i, y: 0 }, data: { kind: 'model', path: 'models/x'.repeat(20) + i } }));
    const autosave = new Autosave(process.argv[1]);
    for (let v = 0; ; v++) {
      await autosave.write({ ...demo, name: 'v' + v, nodes: [...demo.nodes, ...filler] }, null);
      process.stdout.write('saved ' + v + '\\n');
    }
  `;

  it('leaves, after each of 8 kills, a whole version (the last reported saved, or the one being written); restart removes partial writes', async () => {
    const config = join(dir, 'app-config');
    const rng = makeRng(7);
    let lastSeen = -1;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, config], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const closed = new Promise<NodeJS.Signals | null>((r) => child.on('close', (_c, sig) => r(sig)));
      const want = 1 + Math.floor(rng.uniform() * 3);
      const deadline = Date.now() + 30_000;
      while ((out.match(/saved/g) ?? []).length < want) {
        if (Date.now() > deadline) throw new Error(`the writer did not save: ${err}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, rng.uniform() * 30));
      child.kill('SIGKILL');
      expect(await closed).toBe('SIGKILL');
      const saved = [...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1]));
      const last = saved.at(-1)!;

      // What the next start-up sees: a whole version no older than the last one reported saved.
      const entry = await new Autosave(config).read();
      expect(entry, `round ${round}: the autosave was lost`).not.toBeNull();
      const v = Number(entry!.project.name.slice(1));
      expect(v === last || v === last + 1, `round ${round}: v${v} after saving v${last}`).toBe(true);
      expect(entry!.project.nodes.length).toBeGreaterThan(4000);
      JSON.parse(readFileSync(join(config, 'autosave.crucible.json'), 'utf8'));
      expect(readdirSync(config).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      lastSeen = v;
    }
    expect(lastSeen).toBeGreaterThanOrEqual(0);

    // Start-up removes a partial write even when no kill happened to land inside one above,
    // and an autosave it cannot read is set aside under a visible name, not deleted.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(config, 'autosave.crucible.json.0badc0de.tmp'), '{"savedAt":');
    writeFileSync(join(config, 'autosave.crucible.json'), '{"savedAt": "x", "path": null, "project": {"version": 99}}');
    expect(await new Autosave(config).read()).toBeNull();
    expect(readdirSync(config).sort()).toEqual(['autosave.crucible.json.unreadable']);
    expect(readFileSync(join(config, 'autosave.crucible.json.unreadable'), 'utf8')).toContain('"version": 99');
  }, 120_000);
});
