/**
 * Fuzzes the safetensors header reader with malformed files: every input must be refused with an
 * InputError naming the file (and, for a structural fault, saying what is wrong), or accepted
 * with tensors that really fit the file — within a time bound, with bounded memory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DTYPE_SIZE, type Dtype } from '../../electron/engine/io/dtype.js';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { headerLengthFromPrefix, parseSafetensorsHeader, type ParsedHeader } from '../../electron/engine/io/safetensors-header.js';
import { InputError, type TensorInfo } from '../../electron/engine/io/types.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { attempt, attemptAsync, expectCleanOutcome, fcParams, FUZZ_RUNS, fuzzTimeout, rssWatch, runsFraction, unhandledRejectionWatch } from './fuzz-budget.js';
import { brokenSafetensors, fileBytes } from './safetensors-inputs.js';

const FILE = '/models/fuzz/model.safetensors';

/** What readSafetensorsHeader does with a file's bytes, without the disk. */
function readFromBytes(bytes: Uint8Array, file: string): ParsedHeader {
  const n = headerLengthFromPrefix(bytes.subarray(0, 8), file, bytes.length);
  return parseSafetensorsHeader(bytes.subarray(8, 8 + n), file, bytes.length);
}

/**
 * An accepted file's tensors must be consistent with the bytes, checked independently of the
 * reader: sorted by [begin, end], each begins where the one before ended, from the first data byte
 * to the last byte of the file (the reference implementation's rule).
 */
function expectConsistent(tensors: TensorInfo[], dataStart: number, bytes: Uint8Array): void {
  const declared = JSON.parse(new TextDecoder().decode(bytes.subarray(8, dataStart))) as Record<string, unknown>;
  expect(tensors.map((t) => t.name).sort()).toEqual(Object.keys(declared).filter((k) => k !== '__metadata__').sort());
  const ranges: [number, number][] = [];
  for (const t of tensors) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    expect(t.numel).toBe(numel);
    expect(t.byteLength).toBe(numel * DTYPE_SIZE[t.dtype as Dtype]);
    ranges.push([t.offset, t.offset + t.byteLength]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let pos = dataStart;
  for (const [begin, end] of ranges) {
    expect(begin).toBe(pos);
    pos = end;
  }
  expect(pos).toBe(bytes.length);
}

let rejections: ReturnType<typeof unhandledRejectionWatch>;
let dir: string;
beforeAll(async () => {
  rejections = unhandledRejectionWatch();
  dir = await makeTempDir('fuzz-safetensors');
});
afterAll(async () => {
  rejections.check();
  rejections.dispose();
  await removeTempDirs();
});

describe('safetensors header reader, fuzzed', () => {
  it(`refuses ${FUZZ_RUNS} malformed files with an InputError, or reads them consistently`, () => {
    const rss = rssWatch();
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(brokenSafetensors, (b) => {
        const o = attempt(() => readFromBytes(b.bytes, FILE));
        rss.sample();
        expectCleanOutcome(o, InputError, FILE);
        const label = b.kind === 'structural' ? b.label : b.kind;
        seen.set(label, (seen.get(label) ?? 0) + 1);
        if (b.kind === 'structural' || (b.kind === 'prefix' && b.expect)) {
          expect(o.ok, `${label}: accepted`).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(b.expect!);
        }
        if (o.ok) expectConsistent(o.value.tensors, o.value.dataStart, b.bytes);
      }),
      fcParams(FUZZ_RUNS),
    );
    rss.check();
    // Every kind of damage was tried.
    expect([...seen.keys()].length).toBeGreaterThanOrEqual(FUZZ_RUNS >= 2000 ? 22 : 5);
  }, fuzzTimeout(FUZZ_RUNS));

  const diskRuns = runsFraction(0.1);
  it(`opens ${diskRuns} of them from disk through openCheckpoint with the same outcome`, async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(brokenSafetensors, async (b) => {
        const file = join(dir, `case-${i++}.safetensors`);
        writeFileSync(file, b.bytes);
        const inMemory = attempt(() => readFromBytes(b.bytes, file));
        const o = await attemptAsync(() => openCheckpoint(file));
        expectCleanOutcome(o, InputError, file);
        expect(o.ok).toBe(inMemory.ok);
        if (!o.ok && !inMemory.ok) expect((o.error as Error).message).toBe((inMemory.error as Error).message);
      }),
      fcParams(diskRuns),
    );
  }, fuzzTimeout(diskRuns, 20));

  it('refuses, without allocating it, a header length of 100 MB in a small file, and a file of 0 to 7 bytes', async () => {
    const rss = rssWatch();
    for (let size = 0; size < 8; size++) {
      const file = join(dir, `short-${size}.safetensors`);
      writeFileSync(file, new Uint8Array(size).fill(0x7b));
      const o = await attemptAsync(() => openCheckpoint(file));
      expectCleanOutcome(o, InputError, file);
      expect(o.ok).toBe(false);
      if (!o.ok) expect((o.error as Error).message).toMatch(/not a safetensors file/);
    }
    const file = join(dir, 'claims-100mb.safetensors');
    writeFileSync(file, fileBytes('{}', 0, 100_000_000n));
    for (let i = 0; i < 20; i++) {
      const o = await attemptAsync(() => openCheckpoint(file));
      rss.sample();
      expect(o.ok).toBe(false);
      if (!o.ok) expect((o.error as Error).message).toMatch(/runs past the end of the file/);
    }
    rss.check();
  });
});
