/**
 * decodeSub (a model's task vector read in one pass) writes the bits of decode then sub, on both
 * backends and through FileTensorStream.readMinus, NaN payloads included.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatDtype } from '../../../electron/engine/io/dtype.js';
import type { Backend } from '../../../electron/engine/backend/types.js';
import { TsBackend } from '../../../electron/engine/backend/ts-backend.js';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { FileTensorStream, MAX_READ_BYTES } from '../../../electron/engine/executor/file-streams.js';
import { FdCache } from '../../../electron/engine/executor/fd-cache.js';
import { bitsOf, loadBytes, loadF32, mixedBits, rng, sameBits } from './bits.js';
import { ensureKernelsBuilt } from './kernels-built.js';

let wasm: WasmBackend;
const ts = new TsBackend();
let dir: string;
beforeAll(() => {
  ensureKernelsBuilt();
  wasm = new WasmBackend();
  dir = mkdtempSync(join(tmpdir(), 'crucible-decode-sub-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE: Record<FloatDtype, number> = { F32: 4, BF16: 2, F16: 2, F64: 8 };
const LENGTHS = [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 4099];

function randomBytes(n: number, seed: number): Uint8Array {
  const next = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next() & 0xff;
  return out;
}

/** decode into one buffer, then sub, on `be` (slots 0..2 of be). */
function decodeThenSub(be: Backend, dtype: FloatDtype, raw: Uint8Array, minusBits: Uint32Array, n: number): Uint32Array {
  const x = be.f32(0, n);
  be.decode(dtype, loadBytes(be, 0, raw), x, n);
  const m = loadF32(be, 1, minusBits);
  const d = be.f32(2, n);
  be.sub(x, m, d, n);
  return bitsOf(d, n);
}

function decodeSub(be: Backend, dtype: FloatDtype, raw: Uint8Array, minusBits: Uint32Array, n: number): Uint32Array {
  const m = loadF32(be, 1, minusBits);
  const d = be.f32(2, n);
  be.decodeSub(dtype, loadBytes(be, 0, raw), m, d, n);
  return bitsOf(d, n);
}

describe('decodeSub is decode then sub, bit for bit', () => {
  it('BF16: all 65536 patterns against mixed and special float32s, on both backends', () => {
    const raw = new Uint8Array(new Uint16Array(65536).map((_, i) => i).buffer);
    const minus = mixedBits(65536, 11);
    const want = decodeThenSub(ts, 'BF16', raw, minus, 65536);
    sameBits(decodeSub(ts, 'BF16', raw, minus, 65536), want, 65536 * 4, 'ts BF16 all');
    sameBits(decodeSub(wasm, 'BF16', raw, minus, 65536), want, 65536 * 4, 'wasm BF16 all');
  });

  it('every dtype at lengths around the vector widths', () => {
    for (const dtype of ['F32', 'BF16', 'F16', 'F64'] as const) {
      for (const n of LENGTHS) {
        const raw = randomBytes(n * SIZE[dtype], 7 * n + 3);
        const minus = mixedBits(n, 5 * n + 1);
        const want = decodeThenSub(ts, dtype, raw, minus, n);
        sameBits(decodeSub(wasm, dtype, raw, minus, n), want, n * 4, `wasm ${dtype} n=${n}`);
        sameBits(decodeThenSub(wasm, dtype, raw, minus, n), want, n * 4, `wasm decode+sub ${dtype} n=${n}`);
      }
    }
  });

  it('hand-computed BF16 values: 1 − 0.25, −2 − 1, a NaN minus a NaN keeps the model NaN', () => {
    // bf16 0x3f80 = 1, 0xc000 = −2, 0x7fc1 a quiet NaN (float32 0x7fc10000); 17 elements: one SIMD group and a tail.
    const words = new Uint16Array(17).fill(0x3f80);
    words[1] = 0xc000;
    words[2] = 0x7fc1;
    words[16] = 0x7fc1;
    const minus = new Float32Array(17).fill(0.25);
    minus[1] = 1;
    const minusBits = new Uint32Array(minus.buffer);
    minusBits[2] = 0xffc12345;
    minusBits[16] = 0xffc12345;
    const got = decodeSub(wasm, 'BF16', new Uint8Array(words.buffer), minusBits, 17);
    const f = new Float32Array(got.buffer);
    expect([f[0], f[1], got[2] >>> 0, f[15], got[16] >>> 0]).toEqual([0.75, -3, 0x7fc10000, 0.75, 0x7fc10000]);
  });

  it('rejects a dst that overlaps minus (WasmBackend)', () => {
    const m = wasm.f32(1, 64);
    expect(() => wasm.decodeSub('BF16', wasm.bytes(0, 128), m, m, 64)).toThrow(/overlap/);
  });
});

describe('FileTensorStream.readMinus', () => {
  it('reads and subtracts over several positioned reads with the bits of read then sub', () => {
    for (const dtype of ['BF16', 'F32'] as const) {
      const perRead = MAX_READ_BYTES / SIZE[dtype];
      const numel = perRead + 1000;
      const raw = randomBytes(numel * SIZE[dtype] + 8, numel);
      const file = join(dir, `${dtype}.bin`);
      writeFileSync(file, raw);
      for (const be of [ts, wasm] as Backend[]) {
        const fds = new FdCache();
        // Element 0 of the stream is element 3 of the tensor, which starts at byte 8.
        const stream = new FileTensorStream({ file, offset: 8, dtype, numel, tensor: 't' }, fds, be, 3);
        const start = 5;
        const count = perRead + 7;
        const minus = loadF32(be, 10, mixedBits(count, 99));
        const want = be.f32(11, count);
        stream.read(start, count, want);
        be.sub(want, minus, want, count);
        const got = be.f32(12, count);
        stream.readMinus(start, count, got, minus);
        sameBits(got, want, count * 4, `${be.name} ${dtype}`);
        // Independent check of one element: bf16/f32 element 3 + 5 + 1, minus its float32.
        const at = 1;
        const byte = 8 + (3 + start + at) * SIZE[dtype];
        const value = dtype === 'BF16' ? new Float32Array(new Uint32Array([(raw[byte] | (raw[byte + 1] << 8)) << 16]).buffer)[0] : new DataView(raw.buffer).getFloat32(byte, true);
        const expected = Math.fround(value - minus[at]);
        if (!Number.isNaN(expected)) expect(got[at]).toBe(expected);
        fds.closeAll();
      }
    }
  });
});
