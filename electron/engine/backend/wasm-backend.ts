/**
 * The WebAssembly SIMD backend: the Backend primitives as AssemblyScript kernels (native/, built
 * into dist/native/kernels.wasm by `npm run build:native`), writing exactly the bits of TsBackend.
 *
 * One instance per thread: each WasmBackend owns its WebAssembly instance and its linear memory,
 * and must only be used from the thread that created it.
 *
 * Memory and views. f32/bytes/u32(slot, n) return views into the instance's memory, so kernels
 * work in place with no copies. The memory is a *shared* WebAssembly.Memory (maximum 4 GiB,
 * reserved as address space up front): growing a shared memory never detaches the views handed
 * out before, so a kernel may hold views of several slots and request another slot (which may grow
 * the memory) without any earlier view going stale. This is why we use shared memory rather than
 * re-creating views after growth: stability needs no cooperation from callers.
 * Rules that remain:
 *   - A view stays valid until the *same* slot is requested with a size larger than it holds: the
 *     slot then moves to a new region and its old region may be reused by other slots.
 *   - Views are backed by a SharedArrayBuffer: copy (slice) data before posting it to another
 *     thread, or the other thread would see this backend's scratch memory change under it.
 *   - `reserve(totalBytes)` grows the memory once ahead of a task so that slot requests are served
 *     without growing mid-kernel. It is a performance hint only (growth is always safe here).
 * Every method checks that its arrays are views of this backend's memory and long enough for n
 * (anything else is a programming error and throws), and that an output either is an input or is
 * disjoint from it.
 *
 * Same bits: checked against TsBackend for every primitive, NaN payloads included, with V8's
 * WebAssembly compiled by Liftoff only, by TurboFan only and tiered (see native/README.md for the
 * rules the kernels follow). Where two NaNs meet, the reference's bits are those of V8's JavaScript
 * on x64; on other CPUs such a result is still a NaN but its payload may differ.
 */
import type { FloatDtype } from '../io/dtype.js';
import { BLOCK, type Backend, type NonFiniteTally } from './types.js';
import { BF16_EXP, HALF_EXP } from './non-finite.js';
import { Arena, type Region } from './wasm/arena.js';
import { asKernelExports, type KernelExports } from './wasm/kernel-exports.js';
import { loadKernelModule } from './wasm/load-kernels.js';
import { WASM_MAX_PAGES, WASM_PAGE, wasmApi, type WasmMemory } from './wasm/wasm-api.js';

export interface WasmBackendOptions {
  /** Path of kernels.wasm; by default the one built into dist/native/. */
  file?: string;
  /** Bytes of scratch memory to reserve right away (see reserve()). */
  reserveBytes?: number;
}

/** Memory grows in steps of at least this many bytes, to keep the number of grow calls small. */
const GROW_STEP = 16 * 1024 * 1024;
const HIST_BINS = 65536;
const ITEM_SIZE: Readonly<Record<FloatDtype, number>> = { F32: 4, BF16: 2, F16: 2, F64: 8 };

type Kind = 'f32' | 'bytes' | 'u32';

interface Slot<V> {
  region: Region;
  view: V;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  /** The .wasm file this instance runs. */
  readonly file: string;
  private readonly kernels: KernelExports;
  private readonly memory: WasmMemory;
  private readonly arena: Arena;
  /** Every ArrayBuffer object the memory has had; views of any of them are views of this memory. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly f32Slots = new Map<number, Slot<Float32Array>>();
  private readonly byteSlots = new Map<number, Slot<Uint8Array>>();
  private readonly u32Slots = new Map<number, Slot<Uint32Array>>();
  /** signElect's argument block: k addresses then k float32 weights. */
  private params?: Region;
  /** dellaRows' tables and scratch, and which tables they hold. */
  private della?: { region: Region; m: number; thresholds: Float64Array; inverses: Float32Array | null };
  /** Where the encode and countNonFinite kernels store [NaN count, Inf count], and its view. */
  private counts?: { region: Region; view: Uint32Array };

  constructor(options: WasmBackendOptions = {}) {
    const api = wasmApi();
    if (!api) throw new Error('this JavaScript runtime has no WebAssembly');
    const { module, file } = loadKernelModule(options.file);
    this.file = file;
    this.memory = new api.Memory({ initial: 1, maximum: WASM_MAX_PAGES, shared: true });
    const instance = new api.Instance(module, { env: { memory: this.memory } });
    this.kernels = asKernelExports(instance.exports, file);
    this.buffers.add(this.memory.buffer);
    this.arena = new Arena(this.kernels.heapBase(), WASM_MAX_PAGES * WASM_PAGE, (end) => this.growTo(end));
    if (options.reserveBytes) this.reserve(options.reserveBytes);
  }

  /** Makes the memory at least `totalBytes` of scratch long, so slot requests up to that total need no growth. */
  reserve(totalBytes: number): void {
    if (!(totalBytes >= 0)) throw new RangeError(`WasmBackend.reserve: bad byte count ${totalBytes}`);
    this.growTo(Math.min(this.arena.base + totalBytes, this.arena.limit));
  }

  /** Current size of the linear memory in bytes. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  f32(slot: number, n: number): Float32Array {
    return this.slot(this.f32Slots, 'f32', slot, n, 4, (buf, ptr, bytes) => new Float32Array(buf, ptr, bytes / 4));
  }

  bytes(slot: number, n: number): Uint8Array {
    return this.slot(this.byteSlots, 'bytes', slot, n, 1, (buf, ptr, bytes) => new Uint8Array(buf, ptr, bytes));
  }

  u32(slot: number, n: number): Uint32Array {
    return this.slot(this.u32Slots, 'u32', slot, n, 4, (buf, ptr, bytes) => new Uint32Array(buf, ptr, bytes / 4));
  }

  decode(dtype: FloatDtype, src: Uint8Array, dst: Float32Array, n: number): void {
    count('decode', n);
    const size = ITEM_SIZE[dtype];
    if (size === undefined) throw new Error(`WasmBackend.decode: unknown dtype ${String(dtype)}`);
    const s = this.addr(src, n * size, 'decode', 'src');
    const d = this.addr(dst, n * 4, 'decode', 'dst');
    if (dtype === 'F32') return this.kernels.copyF32(s, d, n);
    disjoint(s, n * size, d, n * 4, 'decode', 'src', 'dst');
    if (dtype === 'BF16') this.kernels.decodeBf16(s, d, n);
    else if (dtype === 'F16') this.kernels.decodeF16(s, d, n);
    else this.kernels.decodeF64(s, d, n);
  }

  decodeSub(dtype: FloatDtype, src: Uint8Array, minus: Float32Array, dst: Float32Array, n: number): void {
    if (dtype !== 'BF16') {
      this.decode(dtype, src, dst, n);
      this.sub(dst, minus, dst, n);
      return;
    }
    count('decodeSub', n);
    const s = this.addr(src, n * 2, 'decodeSub', 'src');
    const m = this.addr(minus, n * 4, 'decodeSub', 'minus');
    const d = this.addr(dst, n * 4, 'decodeSub', 'dst');
    disjoint(s, n * 2, d, n * 4, 'decodeSub', 'src', 'dst');
    disjoint(s, n * 2, m, n * 4, 'decodeSub', 'src', 'minus');
    disjoint(m, n * 4, d, n * 4, 'decodeSub', 'minus', 'dst');
    this.kernels.decodeSubBf16(s, m, d, n);
  }

  encode(dtype: FloatDtype, src: Float32Array, dst: Uint8Array, n: number, tally?: NonFiniteTally): void {
    count('encode', n);
    const size = ITEM_SIZE[dtype];
    if (size === undefined) throw new Error(`WasmBackend.encode: unknown dtype ${String(dtype)}`);
    const s = this.addr(src, n * 4, 'encode', 'src');
    const d = this.addr(dst, n * size, 'encode', 'dst');
    const c = this.countsRegion();
    if (dtype === 'F32' && s < d + n * 4 && d < s + n * 4) {
      // Overlapping (as the reference's typed-array copy allows): copy, then count what is there.
      this.kernels.copyF32(s, d, n);
      this.kernels.countNonFinite32(d, n, c.region.ptr);
    } else {
      disjoint(s, n * 4, d, n * size, 'encode', 'src', 'dst');
      if (dtype === 'F32') this.kernels.encodeF32(s, d, n, c.region.ptr);
      else if (dtype === 'BF16') this.kernels.encodeBf16(s, d, n, c.region.ptr);
      else if (dtype === 'F16') this.kernels.encodeF16(s, d, n, c.region.ptr);
      else this.kernels.encodeF64(s, d, n, c.region.ptr);
    }
    if (tally) {
      tally.nan += c.view[0];
      tally.inf += c.view[1];
    }
  }

  countNonFinite(dtype: FloatDtype, src: Uint8Array, n: number, tally: NonFiniteTally): void {
    count('countNonFinite', n);
    const size = ITEM_SIZE[dtype];
    if (size === undefined) throw new Error(`WasmBackend.countNonFinite: unknown dtype ${String(dtype)}`);
    const s = this.addr(src, n * size, 'countNonFinite', 'src');
    const c = this.countsRegion();
    if (dtype === 'BF16') this.kernels.countNonFinite16(s, n, BF16_EXP, c.region.ptr);
    else if (dtype === 'F16') this.kernels.countNonFinite16(s, n, HALF_EXP, c.region.ptr);
    else if (dtype === 'F32') this.kernels.countNonFinite32(s, n, c.region.ptr);
    else this.kernels.countNonFinite64(s, n, c.region.ptr);
    tally.nan += c.view[0];
    tally.inf += c.view[1];
  }

  sub(a: Float32Array, b: Float32Array, dst: Float32Array, n: number): void {
    const [pd, pa, pb] = this.operands('sub', n, ['dst', dst], ['a', a], ['b', b]);
    this.kernels.sub(pa, pb, pd, n);
  }

  add(dst: Float32Array, x: Float32Array, n: number): void {
    const [pd, px] = this.operands('add', n, ['dst', dst], ['x', x]);
    this.kernels.add(pd, px, n);
  }

  scale(dst: Float32Array, c: number, n: number): void {
    const [pd] = this.operands('scale', n, ['dst', dst]);
    // The f32 parameter rounds c to nearest even, exactly as Math.fround.
    this.kernels.scale(pd, c, n);
  }

  axpy(dst: Float32Array, c: number, x: Float32Array, n: number): void {
    const [pd, px] = this.operands('axpy', n, ['dst', dst], ['x', x]);
    this.kernels.axpy(pd, c, px, n);
  }

  scaleTo(dst: Float32Array, c: number, x: Float32Array, n: number): void {
    const [pd, px] = this.operands('scaleTo', n, ['dst', dst], ['x', x]);
    this.kernels.scaleTo(pd, c, px, n);
  }

  div(dst: Float32Array, x: Float32Array, n: number): void {
    const [pd, px] = this.operands('div', n, ['dst', dst], ['x', x]);
    this.kernels.div(pd, px, n);
  }

  dotBlocks(x: Float32Array, y: Float32Array, n: number, total: number): number {
    count('dotBlocks', n);
    return this.kernels.dotBlocks(this.addr(x, n * 4, 'dotBlocks', 'x'), this.addr(y, n * 4, 'dotBlocks', 'y'), n, total);
  }

  gramTwo(x: Float32Array, y: Float32Array, n: number, totals: number[]): void {
    count('gramTwo', n);
    const px = this.addr(x, n * 4, 'gramTwo', 'x');
    const py = this.addr(y, n * 4, 'gramTwo', 'y');
    const region = this.paramRegion(3);
    if (region.ptr % 8 !== 0) throw new Error('WasmBackend.gramTwo: the totals must be 8-byte aligned');
    const t = new Float64Array(this.memory.buffer, region.ptr, 3);
    t[0] = totals[0];
    t[1] = totals[1];
    t[2] = totals[2];
    this.kernels.gramTwoBlocks(px, py, n, region.ptr);
    totals[0] = t[0];
    totals[1] = t[1];
    totals[2] = t[2];
  }

  absSumBlocks(x: Float32Array, n: number, total: number): number {
    count('absSumBlocks', n);
    return this.kernels.absSumBlocks(this.addr(x, n * 4, 'absSumBlocks', 'x'), n, total);
  }

  absSumEachBlock(x: Float32Array, blocks: number, out: Float64Array): void {
    count('absSumEachBlock', blocks);
    const px = this.addr(x, blocks * BLOCK * 4, 'absSumEachBlock', 'x');
    const po = this.addr(out, blocks * 8, 'absSumEachBlock', 'out');
    if (po % 8 !== 0) throw new RangeError('WasmBackend.absSumEachBlock: out is not 8-byte aligned');
    this.kernels.absSumEachBlock(px, blocks, po);
  }

  keptAbsSumEachBlock(x: Float32Array, blocks: number, start: number, key: number, threshold: number, all: Float64Array, kept: Float64Array): void {
    count('keptAbsSumEachBlock', blocks);
    const px = this.addr(x, blocks * BLOCK * 4, 'keptAbsSumEachBlock', 'x');
    const pa = this.addr(all, blocks * 8, 'keptAbsSumEachBlock', 'all');
    const pk = this.addr(kept, blocks * 8, 'keptAbsSumEachBlock', 'kept');
    if (pa % 8 !== 0 || pk % 8 !== 0) throw new RangeError('WasmBackend.keptAbsSumEachBlock: all and kept must be 8-byte aligned');
    disjoint(pa, blocks * 8, pk, blocks * 8, 'keptAbsSumEachBlock', 'all', 'kept');
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`WasmBackend.keptAbsSumEachBlock: start must be a flat element index, got ${start}`);
    // As randomMask: keep when u < threshold, u an integer in [0, 2^32).
    const t = Math.ceil(threshold);
    if (Number.isNaN(t) || t > 0xffffffff || t <= 0) {
      this.kernels.absSumEachBlock(px, blocks, pa);
      if (t <= 0) kept.fill(0, 0, blocks);
      else kept.set(all.subarray(0, blocks));
      return;
    }
    this.kernels.keptAbsSumEachBlock(px, blocks, start, key, t, pa, pk);
  }

  absHistHigh(x: Float32Array, n: number, hist: Uint32Array): void {
    count('absHistHigh', n);
    const px = this.addr(x, n * 4, 'absHistHigh', 'x');
    this.kernels.absHistHigh(px, n, this.addr(hist, HIST_BINS * 4, 'absHistHigh', 'hist'));
  }

  absHistLow(x: Float32Array, n: number, high: number, hist: Uint32Array): void {
    count('absHistLow', n);
    const px = this.addr(x, n * 4, 'absHistLow', 'x');
    const ph = this.addr(hist, HIST_BINS * 4, 'absHistLow', 'hist');
    // bits(|x|) >>> 16 is an integer in [0, 0x7fff]: any other `high` matches nothing.
    if (!Number.isInteger(high) || high < 0 || high > 0x7fff) return;
    this.kernels.absHistLow(px, n, high, ph);
  }

  absWindowCount(x: Float32Array, n: number, first: number, bins: number, lows: Uint32Array): number {
    count('absWindowCount', n);
    if (!Number.isInteger(first) || !Number.isInteger(bins) || first < 0 || bins < 1 || first + bins > HIST_BINS / 2) {
      throw new RangeError(`absWindowCount: bins [${first}, ${first + bins}) outside [0, 32768)`);
    }
    const px = this.addr(x, n * 4, 'absWindowCount', 'x');
    const pl = this.addr(lows, bins * HIST_BINS * 4, 'absWindowCount', 'lows');
    // The kernel returns a u32, which reaches JavaScript as an i32.
    return this.kernels.absWindowCount(px, n, first, bins, pl) >>> 0;
  }

  bandMask(x: Float32Array, n: number, band: Uint32Array): void {
    count('bandMask', n);
    const px = this.addr(x, n * 4, 'bandMask', 'x');
    const pb = this.addr(band, 16, 'bandMask', 'band');
    disjoint(px, n * 4, pb, 16, 'bandMask', 'x', 'band');
    this.kernels.bandMask(px, n, pb);
  }

  randomMask(x: Float32Array, n: number, start: number, key: number, threshold: number): void {
    count('randomMask', n);
    const px = this.addr(x, n * 4, 'randomMask', 'x');
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`WasmBackend.randomMask: start must be a flat element index, got ${start}`);
    // u = fmix32(...) is an integer in [0, 2^32): u >= threshold  <=>  u >= ceil(threshold).
    const t = Math.ceil(threshold);
    if (Number.isNaN(t) || t > 0xffffffff) return; // keeps everything
    if (t <= 0) {
      new Uint32Array(x.buffer, x.byteOffset, n).fill(0); // drops everything (to +0)
      return;
    }
    this.kernels.randomMask(px, n, start, key, t);
  }

  signCounts(vectors: readonly Float32Array[], n: number, counts: number[]): void {
    count('signCounts', n);
    const k = vectors.length;
    // The k addresses, then k + 2 counters (8(k + 1) bytes).
    // The kernel counts in 32-bit lanes; callers pass a chunk at a time.
    if (n >= 2 ** 31) throw new RangeError(`WasmBackend.signCounts: ${n} elements in one call (at most 2^31 − 1)`);
    const region = this.paramRegion(k + 1);
    const ptrs = new Uint32Array(this.memory.buffer, region.ptr, k);
    vectors.forEach((v, i) => (ptrs[i] = this.addr(v, n * 4, 'signCounts', `vectors[${i}]`)));
    const tally = new Uint32Array(this.memory.buffer, region.ptr + k * 4, k + 2);
    tally.fill(0);
    this.kernels.signCounts(region.ptr, k, n, region.ptr + k * 4);
    for (let i = 0; i < k + 2; i++) counts[i] += tally[i];
  }

  countKeptRandom(x: Float32Array, n: number, start: number, key: number, threshold: number): number {
    count('countKeptRandom', n);
    const px = this.addr(x, n * 4, 'countKeptRandom', 'x');
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`WasmBackend.countKeptRandom: start must be a flat element index, got ${start}`);
    if (n >= 2 ** 31) throw new RangeError(`WasmBackend.countKeptRandom: ${n} elements in one call (at most 2^31 − 1)`);
    // As randomMask: keep when u < threshold, u an integer in [0, 2^32).
    const t = Math.ceil(threshold);
    if (t <= 0) return 0;
    if (Number.isNaN(t) || t > 0xffffffff) {
      const counts = [0, 0, 0];
      this.signCounts([x], n, counts);
      return counts[0];
    }
    return this.kernels.countKeptRandom(px, n, start >>> 0, key >>> 0, t) >>> 0;
  }

  randomMaskScale(x: Float32Array, n: number, start: number, key: number, threshold: number, c: number): void {
    const cf = Math.fround(c);
    const t = Math.ceil(threshold);
    // One pass where it gives the two steps' bits: c > 0 and finite keeps a dropped +0 at +0 and
    // holds no NaN; a threshold strictly inside (0, 2^32) is one the kernel takes (see randomMask).
    if (!(cf > 0 && cf < Infinity && t > 0 && t <= 0xffffffff)) {
      this.randomMask(x, n, start, key, threshold);
      this.scale(x, c, n);
      return;
    }
    count('randomMaskScale', n);
    const px = this.addr(x, n * 4, 'randomMaskScale', 'x');
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`WasmBackend.randomMaskScale: start must be a flat element index, got ${start}`);
    this.kernels.randomMaskScale(px, n, start, key, t, cf);
  }

  signElect(
    wd: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    mixed: Float32Array,
    div: Float32Array,
  ): void {
    count('signElect', n);
    const k = wd.length;
    if (weights.length < k) throw new RangeError(`WasmBackend.signElect: ${k} task vectors but ${weights.length} weights`);
    if (consensus !== 'sum' && consensus !== 'count') throw new Error(`WasmBackend.signElect: unknown consensus '${String(consensus)}'`);
    const pm = this.addr(mixed, n * 4, 'signElect', 'mixed');
    const pv = this.addr(div, n * 4, 'signElect', 'div');
    sameOrDisjoint(pm, pv, n * 4, 'signElect', 'mixed', 'div');
    const region = this.vectorParams(wd, weights, n, 'signElect', 'wd', (p, name) => {
      sameOrDisjoint(pm, p, n * 4, 'signElect', 'mixed', name);
      sameOrDisjoint(pv, p, n * 4, 'signElect', 'div', name);
    });
    this.kernels.signElect(region, region + k * 4, k, n, consensus === 'sum' ? 0 : 1, pm, pv);
  }

  consensusMix(
    deltas: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    normalize: boolean,
    lambda: number,
    b: Float32Array,
  ): void {
    count('consensusMix', n);
    const k = deltas.length;
    if (weights.length < k) throw new RangeError(`WasmBackend.consensusMix: ${k} task vectors but ${weights.length} weights`);
    if (consensus !== 'sum' && consensus !== 'count') throw new Error(`WasmBackend.consensusMix: unknown consensus '${String(consensus)}'`);
    const pb = this.addr(b, n * 4, 'consensusMix', 'b');
    // b is written while every δ_i is still read: they must not overlap.
    const region = this.vectorParams(deltas, weights, n, 'consensusMix', 'deltas', (p, name) => disjoint(pb, n * 4, p, n * 4, 'consensusMix', 'b', name));
    this.kernels.consensusMix(region, region + k * 4, k, n, consensus === 'sum' ? 0 : 1, normalize ? 1 : 0, lambda, pb);
  }

  dellaRows(x: Float32Array, rows: number, m: number, start: number, key: number, thresholds: Float64Array, inverses: Float32Array | null, keep?: Uint8Array): void {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(m) || m < 1) throw new RangeError(`WasmBackend.dellaRows: bad shape ${rows} × ${m}`);
    if (thresholds.length < m || (inverses && inverses.length < m)) throw new RangeError(`WasmBackend.dellaRows: tables shorter than a row of ${m}`);
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`WasmBackend.dellaRows: start must be a flat element index, got ${start}`);
    const px = this.addr(x, rows * m * 4, 'dellaRows', 'x');
    const pk = keep ? this.addr(keep, rows * m, 'dellaRows', 'keep') : 0;
    if (keep) disjoint(pk, rows * m, px, rows * m * 4, 'dellaRows', 'keep', 'x');
    const region = this.dellaRegion(m, thresholds, inverses);
    this.kernels.dellaRows(px, rows, m, start >>> 0, key >>> 0, region.ptr, region.ptr + m * 8, inverses ? 1 : 0, region.ptr + m * 12, pk);
  }

  /**
   * dellaRows' region: the tables (m float64 thresholds, m float32 inverses) then the sort's scratch
   * (5m + 3 × 2048 u32). The tables are copied in only when the caller passes other arrays than last
   * time (a DELLA sparsifier keeps its tables for a whole tensor).
   */
  private dellaRegion(m: number, thresholds: Float64Array, inverses: Float32Array | null): Region {
    const need = m * 12 + (5 * m + 3 * 2048) * 4;
    const cur = this.della;
    if (cur && cur.region.bytes >= need && cur.m === m && cur.thresholds === thresholds && cur.inverses === inverses) return cur.region;
    if (cur && cur.region.bytes < need) this.arena.release(cur.region);
    const region = cur && cur.region.bytes >= need ? cur.region : this.arena.alloc(need);
    new Float64Array(this.memory.buffer, region.ptr, m).set(thresholds.subarray(0, m));
    if (inverses) new Float32Array(this.memory.buffer, region.ptr + m * 8, m).set(inverses.subarray(0, m));
    this.della = { region, m, thresholds, inverses };
    return region;
  }

  populationVariance(taus: readonly Float32Array[], n: number, v: Float32Array): number {
    count('populationVariance', n);
    const k = taus.length;
    const pv = this.addr(v, n * 4, 'populationVariance', 'v');
    const region = this.vectorParams(taus, [], n, 'populationVariance', 'taus', (p, name) => disjoint(pv, n * 4, p, n * 4, 'populationVariance', 'v', name));
    return this.kernels.populationVariance(region, k, n, pv) >>> 0;
  }

  nearswap(a: Float32Array, b: Float32Array, dst: Float32Array, n: number, t: number, floor: number): number {
    const [pd, pa, pb] = this.operands('nearswap', n, ['dst', dst], ['a', a], ['b', b]);
    // dst must not be an input: the caller recomputes the skipped elements from a and b.
    disjoint(pd, n * 4, pa, n * 4, 'nearswap', 'dst', 'a');
    disjoint(pd, n * 4, pb, n * 4, 'nearswap', 'dst', 'b');
    // The f32 parameters round t and floor to nearest even, exactly as Math.fround.
    return this.kernels.nearswap(pa, pb, pd, n, t, floor) >>> 0;
  }

  keepNonzero(taus: readonly Float32Array[], mask: Float32Array, n: number): void {
    count('keepNonzero', n);
    const pm = this.addr(mask, n * 4, 'keepNonzero', 'mask');
    const region = this.vectorParams(taus, [], n, 'keepNonzero', 'taus', (p, name) => disjoint(pm, n * 4, p, n * 4, 'keepNonzero', 'mask', name));
    this.kernels.keepNonzero(region, taus.length, n, pm);
  }

  electedWeightedMean(taus: readonly Float32Array[], omega: readonly number[], n: number, b: Float32Array): void {
    count('electedWeightedMean', n);
    const k = taus.length;
    if (omega.length < k) throw new RangeError(`WasmBackend.electedWeightedMean: ${k} task vectors but ${omega.length} weights`);
    const pb = this.addr(b, n * 4, 'electedWeightedMean', 'b');
    const region = this.vectorParams(taus, omega, n, 'electedWeightedMean', 'taus', (p, name) => disjoint(pb, n * 4, p, n * 4, 'electedWeightedMean', 'b', name));
    this.kernels.electedWeightedMean(region, region + k * 4, k, n, pb);
  }

  /**
   * The argument block of signElect and consensusMix: the k vectors' addresses (each checked by
   * `check`), then the k weights rounded to float32. Returns its address.
   */
  private vectorParams(vectors: readonly Float32Array[], weights: readonly number[], n: number, fn: string, name: string, check: (ptr: number, name: string) => void): number {
    const k = vectors.length;
    const region = this.paramRegion(k);
    const ptrs = new Uint32Array(this.memory.buffer, region.ptr, k);
    const w = new Float32Array(this.memory.buffer, region.ptr + k * 4, k);
    for (let i = 0; i < k; i++) {
      const p = this.addr(vectors[i], n * 4, fn, `${name}[${i}]`);
      check(p, `${name}[${i}]`);
      ptrs[i] = p;
      if (i < weights.length) w[i] = weights[i]; // a Float32Array store rounds as Math.fround
    }
    return region.ptr;
  }

  /** The counts' region, taken from the arena on first use and kept (a view of shared memory never detaches). */
  private countsRegion(): { region: Region; view: Uint32Array } {
    if (!this.counts) {
      const region = this.arena.alloc(8);
      this.counts = { region, view: new Uint32Array(this.memory.buffer, region.ptr, 2) };
    }
    return this.counts;
  }

  /** A region of at least 8k bytes for signElect's k addresses and k weights (kept for later calls). */
  private paramRegion(k: number): Region {
    const need = Math.max(1, k) * 8;
    if (!this.params || this.params.bytes < need) {
      if (this.params) this.arena.release(this.params);
      this.params = this.arena.alloc(Math.max(need, 64 * 8));
    }
    return this.params;
  }

  private slot<V>(
    slots: Map<number, Slot<V>>,
    kind: Kind,
    slot: number,
    n: number,
    itemSize: number,
    makeView: (buffer: ArrayBufferLike, ptr: number, bytes: number) => V,
  ): V {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`WasmBackend.${kind}(${slot}, ${n}): bad element count`);
    const need = Math.max(n, 1) * itemSize;
    const cur = slots.get(slot);
    if (cur && cur.region.bytes >= need) return cur.view;
    // Grow by half again at least, so a slot asked for slowly rising sizes moves rarely.
    const region = this.arena.alloc(cur ? Math.max(need, Math.floor(cur.region.bytes * 1.5)) : need);
    if (cur) this.arena.release(cur.region);
    const view = makeView(this.memory.buffer, region.ptr, region.bytes);
    slots.set(slot, { region, view });
    return view;
  }

  private growTo(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const target = Math.min(Math.max(end, have + GROW_STEP), WASM_MAX_PAGES * WASM_PAGE);
    const pages = Math.ceil(target / WASM_PAGE) - have / WASM_PAGE;
    try {
      this.memory.grow(pages);
    } catch (err) {
      throw new RangeError(`WebAssembly backend: cannot grow memory to ${Math.round(target / 2 ** 20)} MiB: ${(err as Error).message}`);
    }
    this.buffers.add(this.memory.buffer);
  }

  /**
   * The addresses of an elementwise primitive's float32 operands (output first): n is a count,
   * each operand a view of this memory holding n float32s, and every input either is the output
   * or does not overlap it.
   */
  private operands(fn: string, n: number, out: [string, Float32Array], ...inputs: [string, Float32Array][]): number[] {
    count(fn, n);
    const bytes = n * 4;
    const pOut = this.addr(out[1], bytes, fn, out[0]);
    const pIn = inputs.map(([name, view]) => {
      const p = this.addr(view, bytes, fn, name);
      sameOrDisjoint(pOut, p, bytes, fn, out[0], name);
      return p;
    });
    return [pOut, ...pIn];
  }

  /** The byte address of a view of this memory holding at least `bytes` bytes. */
  private addr(view: ArrayBufferView, bytes: number, fn: string, arg: string): number {
    if (!view || !this.buffers.has(view.buffer)) {
      throw new TypeError(
        `WasmBackend.${fn}: '${arg}' is not a view of this backend's memory; get buffers from f32()/bytes()/u32() of the same backend`,
      );
    }
    if (bytes > view.byteLength) {
      throw new RangeError(`WasmBackend.${fn}: '${arg}' holds ${view.byteLength} bytes, the call needs ${bytes}`);
    }
    return view.byteOffset;
  }
}

function count(fn: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`WasmBackend.${fn}: bad element count ${n}`);
}

/** Kernels process whole vectors: an output must be its input or not touch it at all. */
function sameOrDisjoint(p: number, q: number, bytes: number, fn: string, a: string, b: string): void {
  if (p !== q && p < q + bytes && q < p + bytes) {
    throw new RangeError(`WasmBackend.${fn}: '${a}' and '${b}' overlap without being the same buffer`);
  }
}

function disjoint(p: number, pBytes: number, q: number, qBytes: number, fn: string, a: string, b: string): void {
  if (pBytes > 0 && qBytes > 0 && p < q + qBytes && q < p + pBytes) {
    throw new RangeError(`WasmBackend.${fn}: '${a}' and '${b}' overlap`);
  }
}
