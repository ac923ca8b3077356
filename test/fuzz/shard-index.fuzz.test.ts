/**
 * Fuzzes the shard index reader: damaged index texts (parseShardIndex), and sharded folders on
 * disk whose index points outside the folder, at missing shards, at folders, or at shards that do
 * not hold the tensor (openCheckpoint). Each must be refused with an InputError naming the file,
 * or read into a map whose every shard is a plain file name — within a time bound.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { INDEX_FILE_NAME, parseShardIndex } from '../../electron/engine/io/shard-index.js';
import { InputError } from '../../electron/engine/io/types.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { attempt, attemptAsync, expectCleanOutcome, fcParams, FUZZ_RUNS, fuzzTimeout, rssWatch, runsFraction, unhandledRejectionWatch } from './fuzz-budget.js';
import { damageJson, describeDamage, jsonDamage } from './json-inputs.js';

const FILE = '/models/fuzz/model.safetensors.index.json';

/** Shard names that leave the folder or are not names at all. */
const ESCAPING = ['../model-00001-of-00002.safetensors', '/etc/passwd', 'sub/model.safetensors', 'C:\\model.safetensors', 'c:model.safetensors', '\\\\server\\share\\m.safetensors', '..\\m.safetensors', '', '.', '..', 'm\u0000.safetensors', '/', './'];

let ck: BuiltCheckpoint;
let work: string;
let rejections: ReturnType<typeof unhandledRejectionWatch>;
beforeAll(async () => {
  rejections = unhandledRejectionWatch();
  ck = await makeLlamaCheckpoint({ layers: 2, shardSizeBytes: 6000 });
  expect(ck.files.length).toBeGreaterThanOrEqual(3);
  work = await makeTempDir('fuzz-index');
});
afterAll(async () => {
  rejections.check();
  rejections.dispose();
  await removeTempDirs();
});

type Edit =
  | { kind: 'escape'; tensor: number; name: number }
  | { kind: 'notString'; tensor: number; value: number }
  | { kind: 'remap'; tensor: number; shard: number }
  | { kind: 'unknownShard'; tensor: number }
  | { kind: 'dropShardFile'; shard: number }
  | { kind: 'shardIsFolder'; shard: number }
  | { kind: 'extraTensor'; shard: number }
  | { kind: 'weightMapNotObject'; value: number }
  | { kind: 'noWeightMap' }
  | { kind: 'none' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('escape' as const), tensor: fc.nat(), name: fc.nat() }),
  fc.record({ kind: fc.constant('notString' as const), tensor: fc.nat(), value: fc.nat() }),
  fc.record({ kind: fc.constant('remap' as const), tensor: fc.nat(), shard: fc.nat() }),
  fc.record({ kind: fc.constant('unknownShard' as const), tensor: fc.nat() }),
  fc.record({ kind: fc.constant('dropShardFile' as const), shard: fc.nat() }),
  fc.record({ kind: fc.constant('shardIsFolder' as const), shard: fc.nat() }),
  fc.record({ kind: fc.constant('extraTensor' as const), shard: fc.nat() }),
  fc.record({ kind: fc.constant('weightMapNotObject' as const), value: fc.nat() }),
  fc.record({ kind: fc.constant('noWeightMap' as const) }),
  fc.record({ kind: fc.constant('none' as const) }),
);

const NOT_STRINGS: unknown[] = [1, null, true, ['model.safetensors'], { file: 'model.safetensors' }, 0.5];

interface Case {
  index: Record<string, unknown>;
  /** Shard files not linked into the case's folder. */
  missing: Set<string>;
  /** Shard names made folders. */
  folders: Set<string>;
  expect?: RegExp;
}

/** Applies an edit to the real index (weightMap: tensor → shard, in the order written). */
function applyEdit(weightMap: Record<string, string>, shards: string[], e: Edit): Case {
  const tensors = Object.keys(weightMap);
  const map: Record<string, unknown> = { ...weightMap };
  const c: Case = { index: { metadata: { total_size: 0 }, weight_map: map }, missing: new Set(), folders: new Set() };
  const t = (i: number) => tensors[i % tensors.length];
  const s = (i: number) => shards[i % shards.length];
  switch (e.kind) {
    case 'escape':
      map[t(e.tensor)] = ESCAPING[e.name % ESCAPING.length];
      c.expect = /not a plain file name/;
      break;
    case 'notString':
      map[t(e.tensor)] = NOT_STRINGS[e.value % NOT_STRINGS.length];
      c.expect = /is not a file name/;
      break;
    case 'remap': {
      const from = weightMap[t(e.tensor)];
      const to = s(e.shard);
      map[t(e.tensor)] = to;
      if (to !== from) c.expect = /does not contain it|present in two shards/;
      break;
    }
    case 'unknownShard':
      map[t(e.tensor)] = 'model-00009-of-00009.safetensors';
      c.expect = /is missing/;
      break;
    case 'dropShardFile':
      c.missing.add(s(e.shard));
      c.expect = /is missing/;
      break;
    case 'shardIsFolder':
      c.folders.add(s(e.shard));
      c.expect = /is not a file/;
      break;
    case 'extraTensor':
      map['model.layers.99.mlp.up_proj.weight'] = s(e.shard);
      c.expect = /does not contain it/;
      break;
    case 'weightMapNotObject':
      c.index.weight_map = [[], 'x', 1, null][e.value % 4];
      c.expect = /"weight_map" is not an object/;
      break;
    case 'noWeightMap':
      delete c.index.weight_map;
      c.expect = /missing "weight_map"/;
      break;
    case 'none':
      break;
  }
  return c;
}

describe('shard index reader, fuzzed', () => {
  it(`refuses ${FUZZ_RUNS} damaged index texts with an InputError, or maps tensors to plain file names`, async () => {
    const base = JSON.stringify({ metadata: { total_size: 123 }, weight_map: await weightMapOf() }, null, 2);
    const rss = rssWatch();
    fc.assert(
      fc.property(
        fc.oneof(
          jsonDamage.map((d) => ({ d, edit: null as Edit | null })),
          fc.record({ d: fc.constant(null), edit }),
        ),
        fc.context(),
        ({ d, edit }, ctx) => {
          let text: string;
          let expected: RegExp | undefined;
          if (d) {
            ({ text, expect: expected } = damageJson(base, d));
            ctx.log(describeDamage(d));
          } else {
            const c = applyEdit(JSON.parse(base).weight_map as Record<string, string>, ck.files, edit!);
            text = JSON.stringify(c.index);
            // Only the text-level faults are visible without the disk.
            expected = c.expect && /plain file name|not a file name|weight_map/.test(c.expect.source) ? c.expect : undefined;
            ctx.log(JSON.stringify(edit));
          }
          const o = attempt(() => parseShardIndex(text, FILE));
          rss.sample();
          expectCleanOutcome(o, InputError, FILE);
          if (expected) {
            expect(o.ok).toBe(false);
            if (!o.ok) expect((o.error as Error).message).toMatch(expected);
          }
          if (o.ok) {
            for (const [tensor, shard] of o.value.weightMap) {
              expect(typeof tensor).toBe('string');
              expect(shard).toMatch(/^[^/\\\0]+$/);
              expect(['.', '..']).not.toContain(shard);
            }
          }
        },
      ),
      fcParams(FUZZ_RUNS),
    );
    rss.check();
  }, fuzzTimeout(FUZZ_RUNS));

  const diskRuns = runsFraction(0.05);
  it(`refuses ${diskRuns} broken sharded folders on disk with an InputError naming the folder's files`, async () => {
    const weightMap = await weightMapOf();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(edit, fc.option(jsonDamage, { freq: 4 }), async (e, d) => {
        const dir = join(work, `case-${n++}`);
        mkdirSync(dir);
        const c = applyEdit(weightMap, ck.files, e);
        let text = JSON.stringify(c.index, null, 1);
        let expected = c.expect;
        if (d) {
          const damaged = damageJson(text, d);
          text = damaged.text;
          expected = damaged.expect; // the damage may hide the edit's fault
        }
        for (const f of ck.files) {
          if (c.missing.has(f)) continue;
          if (c.folders.has(f)) mkdirSync(join(dir, f));
          else symlinkSync(join(ck.dir, f), join(dir, f));
        }
        writeFileSync(join(dir, INDEX_FILE_NAME), text);
        const o = await attemptAsync(() => openCheckpoint(dir));
        expectCleanOutcome(o, InputError, dir);
        if (expected) {
          expect(o.ok, `${JSON.stringify(e)} was accepted`).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(expected);
        }
        if (o.ok) {
          // Accepted: every tensor is read from a shard inside this folder.
          for (const t of o.value.tensors.values()) expect(t.file.startsWith(dir + '/')).toBe(true);
        }
      }),
      fcParams(diskRuns),
    );
  }, fuzzTimeout(diskRuns, 30));

  it('refuses an index file that is not UTF-8 or is larger than the limit, without reading it whole', async () => {
    const dir = join(work, 'not-utf8');
    mkdirSync(dir);
    for (const f of ck.files) symlinkSync(join(ck.dir, f), join(dir, f));
    const text = JSON.stringify({ weight_map: await weightMapOf() });
    writeFileSync(join(dir, INDEX_FILE_NAME), Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(20))]));
    const o = await attemptAsync(() => openCheckpoint(dir));
    expectCleanOutcome(o, InputError, dir);
    expect(o.ok).toBe(false);
    if (!o.ok) expect((o.error as Error).message).toMatch(/not valid UTF-8/);

    const big = join(work, 'big');
    mkdirSync(big);
    const { openSync, ftruncateSync, closeSync } = await import('node:fs');
    const fd = openSync(join(big, INDEX_FILE_NAME), 'w');
    ftruncateSync(fd, 100_000_001); // sparse: costs no disk
    closeSync(fd);
    const rss = rssWatch();
    const o2 = await attemptAsync(() => openCheckpoint(big));
    rss.sample();
    rss.check();
    expectCleanOutcome(o2, InputError, big);
    if (!o2.ok) expect((o2.error as Error).message).toMatch(/larger than the 100000000-byte limit/);
  });
});

/** tensor → shard of the checkpoint built in beforeAll, read from its own index. */
async function weightMapOf(): Promise<Record<string, string>> {
  const { readFile } = await import('node:fs/promises');
  return (JSON.parse(await readFile(join(ck.dir, INDEX_FILE_NAME), 'utf8')) as { weight_map: Record<string, string> }).weight_map;
}
