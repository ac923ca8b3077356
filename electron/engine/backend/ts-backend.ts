/**
 * The reference backend in TypeScript. Every loop rounds to float32 after each operation
 * (Math.fround), so results are bit-identical to the WebAssembly SIMD backend.
 */
import type { FloatDtype } from '../io/dtype.js';
import { BLOCK, type Backend, type NonFiniteTally } from './types.js';
import { bf16FromF32Bits, f16DecodeTable, f16FromF32Bits, fmix32 } from './float-bits.js';
import { BF16_EXP, HALF_EXP, tallyStored } from './non-finite.js';

const fr = Math.fround;

/** electedWeightedMean's floor on Σ ω_i m_i, as float32 (spec §3). */
const MIN_DIVISOR = fr(1e-6);

export class TsBackend implements Backend {
  readonly name = 'ts' as const;
  private readonly f32s: Float32Array[] = [];
  private readonly byteBufs: Uint8Array[] = [];
  private readonly u32s: Uint32Array[] = [];

  f32(slot: number, n: number): Float32Array {
    const cur = this.f32s[slot];
    if (cur && cur.length >= n) return cur;
    const next = new Float32Array(Math.max(n, 1));
    this.f32s[slot] = next;
    return next;
  }

  bytes(slot: number, n: number): Uint8Array {
    const cur = this.byteBufs[slot];
    if (cur && cur.length >= n) return cur;
    const next = new Uint8Array(new ArrayBuffer(Math.max(8, Math.ceil(n / 8) * 8)));
    this.byteBufs[slot] = next;
    return next;
  }

  u32(slot: number, n: number): Uint32Array {
    const cur = this.u32s[slot];
    if (cur && cur.length >= n) return cur;
    const next = new Uint32Array(Math.max(n, 1));
    this.u32s[slot] = next;
    return next;
  }

  decode(dtype: FloatDtype, src: Uint8Array, dst: Float32Array, n: number): void {
    switch (dtype) {
      case 'F32': {
        const s = new Float32Array(src.buffer, src.byteOffset, n);
        dst.set(s);
        return;
      }
      case 'BF16': {
        const s = new Uint16Array(src.buffer, src.byteOffset, n);
        const d = new Uint32Array(dst.buffer, dst.byteOffset, n);
        for (let i = 0; i < n; i++) d[i] = s[i] << 16;
        return;
      }
      case 'F16': {
        const s = new Uint16Array(src.buffer, src.byteOffset, n);
        const table = f16DecodeTable();
        for (let i = 0; i < n; i++) dst[i] = table[s[i]];
        return;
      }
      case 'F64': {
        const s = new Float64Array(src.buffer, src.byteOffset, n);
        for (let i = 0; i < n; i++) dst[i] = s[i];
        return;
      }
    }
  }

  decodeSub(dtype: FloatDtype, src: Uint8Array, minus: Float32Array, dst: Float32Array, n: number): void {
    this.decode(dtype, src, dst, n);
    this.sub(dst, minus, dst, n);
  }

  /** Counts the values written, after rounding (the BF16 and F16 loops as they write: a rarely taken branch). */
  encode(dtype: FloatDtype, src: Float32Array, dst: Uint8Array, n: number, tally?: NonFiniteTally): void {
    switch (dtype) {
      case 'F32':
        new Float32Array(dst.buffer, dst.byteOffset, n).set(src.subarray(0, n));
        if (tally) tallyStored('F32', dst, n, tally);
        return;
      case 'BF16': {
        const s = new Uint32Array(src.buffer, src.byteOffset, n);
        const d = new Uint16Array(dst.buffer, dst.byteOffset, n);
        let nan = 0;
        let inf = 0;
        for (let i = 0; i < n; i++) {
          const h = bf16FromF32Bits(s[i]);
          d[i] = h;
          if ((h & BF16_EXP) === BF16_EXP) {
            if ((h & 0x7fff) === BF16_EXP) inf++;
            else nan++;
          }
        }
        if (tally) addCounts(tally, nan, inf);
        return;
      }
      case 'F16': {
        const s = new Uint32Array(src.buffer, src.byteOffset, n);
        const d = new Uint16Array(dst.buffer, dst.byteOffset, n);
        let nan = 0;
        let inf = 0;
        for (let i = 0; i < n; i++) {
          const h = f16FromF32Bits(s[i]);
          d[i] = h;
          if ((h & HALF_EXP) === HALF_EXP) {
            if ((h & 0x7fff) === HALF_EXP) inf++;
            else nan++;
          }
        }
        if (tally) addCounts(tally, nan, inf);
        return;
      }
      case 'F64': {
        const d = new Float64Array(dst.buffer, dst.byteOffset, n);
        for (let i = 0; i < n; i++) d[i] = src[i];
        // float32 → float64 is exact: a NaN stays a NaN and an Inf an Inf.
        if (tally) tallyStored('F32', new Uint8Array(src.buffer, src.byteOffset, 4 * n), n, tally);
        return;
      }
    }
  }

  countNonFinite(dtype: FloatDtype, src: Uint8Array, n: number, tally: NonFiniteTally): void {
    tallyStored(dtype, src, n, tally);
  }

  sub(a: Float32Array, b: Float32Array, dst: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) dst[i] = a[i] - b[i];
  }

  add(dst: Float32Array, x: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) dst[i] = dst[i] + x[i];
  }

  scale(dst: Float32Array, c: number, n: number): void {
    const cf = fr(c);
    for (let i = 0; i < n; i++) dst[i] = cf * dst[i];
  }

  axpy(dst: Float32Array, c: number, x: Float32Array, n: number): void {
    const cf = fr(c);
    for (let i = 0; i < n; i++) dst[i] = dst[i] + fr(cf * x[i]);
  }

  scaleTo(dst: Float32Array, c: number, x: Float32Array, n: number): void {
    const cf = fr(c);
    for (let i = 0; i < n; i++) dst[i] = cf * x[i];
  }

  div(dst: Float32Array, x: Float32Array, n: number): void {
    for (let i = 0; i < n; i++) dst[i] = dst[i] / x[i];
  }

  gramTwo(x: Float32Array, y: Float32Array, n: number, totals: number[]): void {
    totals[0] = this.dotBlocks(x, x, n, totals[0]);
    totals[1] = this.dotBlocks(x, y, n, totals[1]);
    totals[2] = this.dotBlocks(y, y, n, totals[2]);
  }

  dotBlocks(x: Float32Array, y: Float32Array, n: number, total: number): number {
    for (let b = 0; b < n; b += BLOCK) {
      const end = Math.min(n, b + BLOCK);
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = b;
      for (; i + 3 < end; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
      }
      if (i < end) s0 += x[i] * y[i];
      if (i + 1 < end) s1 += x[i + 1] * y[i + 1];
      if (i + 2 < end) s2 += x[i + 2] * y[i + 2];
      total += s0 + s1 + (s2 + s3);
    }
    return total;
  }

  absSumBlocks(x: Float32Array, n: number, total: number): number {
    for (let b = 0; b < n; b += BLOCK) {
      const end = Math.min(n, b + BLOCK);
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = b;
      for (; i + 3 < end; i += 4) {
        s0 += Math.abs(x[i]);
        s1 += Math.abs(x[i + 1]);
        s2 += Math.abs(x[i + 2]);
        s3 += Math.abs(x[i + 3]);
      }
      if (i < end) s0 += Math.abs(x[i]);
      if (i + 1 < end) s1 += Math.abs(x[i + 1]);
      if (i + 2 < end) s2 += Math.abs(x[i + 2]);
      total += s0 + s1 + (s2 + s3);
    }
    return total;
  }

  absSumEachBlock(x: Float32Array, blocks: number, out: Float64Array): void {
    for (let j = 0; j < blocks; j++) out[j] = this.absSumBlocks(x.subarray(j * BLOCK, (j + 1) * BLOCK), BLOCK, 0);
  }

  keptAbsSumEachBlock(x: Float32Array, blocks: number, start: number, key: number, threshold: number, all: Float64Array, kept: Float64Array): void {
    this.absSumEachBlock(x, blocks, all);
    // A dropped entry counts as the +0 randomMask leaves: |+0| adds nothing to its lane.
    const kept1 = (i: number) => (fmix32(((start + i) ^ key) >>> 0) >= threshold ? 0 : Math.abs(x[i]));
    for (let j = 0; j < blocks; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = j * BLOCK; i < (j + 1) * BLOCK; i += 4) {
        s0 += kept1(i);
        s1 += kept1(i + 1);
        s2 += kept1(i + 2);
        s3 += kept1(i + 3);
      }
      kept[j] = s0 + s1 + (s2 + s3);
    }
  }

  absHistHigh(x: Float32Array, n: number, hist: Uint32Array): void {
    const bits = new Uint32Array(x.buffer, x.byteOffset, n);
    for (let i = 0; i < n; i++) hist[(bits[i] & 0x7fffffff) >>> 16]++;
  }

  absHistLow(x: Float32Array, n: number, high: number, hist: Uint32Array): void {
    const bits = new Uint32Array(x.buffer, x.byteOffset, n);
    for (let i = 0; i < n; i++) {
      const a = bits[i] & 0x7fffffff;
      if (a >>> 16 === high) hist[a & 0xffff]++;
    }
  }

  absWindowCount(x: Float32Array, n: number, first: number, count: number, lows: Uint32Array): number {
    const bits = new Uint32Array(x.buffer, x.byteOffset, n);
    let above = 0;
    for (let i = 0; i < n; i++) {
      const a = bits[i] & 0x7fffffff;
      const w = (a >>> 16) - first;
      if (w >= count) above++;
      else if (w >= 0) lows[w * 65536 + (a & 0xffff)]++;
    }
    return above;
  }

  bandMask(x: Float32Array, n: number, band: Uint32Array): void {
    const bits = new Uint32Array(x.buffer, x.byteOffset, n);
    const hiT = band[0] | 0;
    const loT = band[2] | 0;
    let hiLeft = band[1];
    let loLeft = band[3];
    for (let i = 0; i < n; i++) {
      const a = bits[i] & 0x7fffffff;
      let inHi = a > hiT;
      if (a === hiT && hiLeft > 0) {
        inHi = true;
        hiLeft--;
      }
      let inLo = a > loT;
      if (a === loT && loLeft > 0) {
        inLo = true;
        loLeft--;
      }
      if (!inHi || inLo) bits[i] = 0;
    }
    band[1] = hiLeft;
    band[3] = loLeft;
  }

  randomMask(x: Float32Array, n: number, start: number, key: number, threshold: number): void {
    for (let i = 0; i < n; i++) {
      if (fmix32(((start + i) ^ key) >>> 0) >= threshold) x[i] = 0;
    }
  }

  randomMaskScale(x: Float32Array, n: number, start: number, key: number, threshold: number, c: number): void {
    this.randomMask(x, n, start, key, threshold);
    this.scale(x, c, n);
  }

  signCounts(vectors: readonly Float32Array[], n: number, counts: number[]): void {
    const k = vectors.length;
    vectors.forEach((v, i) => {
      let nz = 0;
      for (let e = 0; e < n; e++) if (v[e] !== 0) nz++;
      counts[i] += nz;
    });
    for (let e = 0; e < n; e++) {
      let pos = 0;
      let neg = 0;
      for (const v of vectors) {
        if (v[e] > 0) pos++;
        else if (v[e] < 0) neg++;
      }
      if (pos + neg >= 2) counts[k]++;
      if (pos > 0 && neg > 0) counts[k + 1]++;
    }
  }

  countKeptRandom(x: Float32Array, n: number, start: number, key: number, threshold: number): number {
    let c = 0;
    for (let e = 0; e < n; e++) if (x[e] !== 0 && fmix32(((start + e) ^ key) >>> 0) < threshold) c++;
    return c;
  }

  signElect(
    wd: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    mixed: Float32Array,
    div: Float32Array,
  ): void {
    const k = wd.length;
    const w = weights.map(fr);
    for (let j = 0; j < n; j++) {
      let positive: boolean;
      if (consensus === 'sum') {
        let s = 0;
        for (let i = 0; i < k; i++) s = fr(s + wd[i][j]);
        positive = s >= 0;
      } else {
        let c = 0;
        for (let i = 0; i < k; i++) {
          const v = wd[i][j];
          if (v > 0) c++;
          else if (v < 0) c--;
        }
        positive = c >= 0;
      }
      let m = 0;
      let d = 0;
      for (let i = 0; i < k; i++) {
        const v = wd[i][j];
        if (positive ? v > 0 : v < 0) {
          m = fr(m + v);
          d = fr(d + w[i]);
        }
      }
      mixed[j] = m;
      div[j] = d === 0 ? 1 : d;
    }
  }

  /** The reference: the steps one after another (the WebAssembly kernel fuses them). */
  consensusMix(
    deltas: Float32Array[],
    weights: number[],
    n: number,
    consensus: 'sum' | 'count',
    normalize: boolean,
    lambda: number,
    b: Float32Array,
    mixed: Float32Array,
    div: Float32Array,
  ): void {
    deltas.forEach((d, i) => this.scale(d, weights[i], n));
    this.signElect(deltas, weights, n, consensus, mixed, div);
    if (normalize) this.div(mixed, div, n);
    this.axpy(b, lambda, mixed, n);
  }

  populationVariance(taus: readonly Float32Array[], n: number, v: Float32Array): number {
    const invN = fr(1 / taus.length);
    let nonzero = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (const t of taus) s = fr(s + t[j]);
      const mu = fr(s * invN);
      let acc = 0;
      for (const t of taus) {
        const d = fr(t[j] - mu);
        acc = fr(acc + fr(d * d));
      }
      const vj = fr(acc * invN);
      v[j] = vj;
      if (vj !== 0) nonzero++;
    }
    return nonzero;
  }

  keepNonzero(taus: readonly Float32Array[], mask: Float32Array, n: number): void {
    for (let j = 0; j < n; j++) {
      if (mask[j] === 0) for (const t of taus) t[j] = 0;
    }
  }

  electedWeightedMean(taus: readonly Float32Array[], omega: readonly number[], n: number, b: Float32Array): void {
    const k = taus.length;
    const w = omega.map(fr);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s = fr(s + taus[i][j]);
      const positive = s >= 0;
      let num = 0;
      let den = 0;
      for (let i = 0; i < k; i++) {
        const t = taus[i][j];
        if (positive ? t > 0 : t < 0) {
          num = fr(num + fr(w[i] * t));
          den = fr(den + w[i]);
        }
      }
      b[j] = fr(b[j] + fr(num / (den > MIN_DIVISOR ? den : MIN_DIVISOR)));
    }
  }
}

function addCounts(tally: NonFiniteTally, nan: number, inf: number): void {
  tally.nan += nan;
  tally.inf += inf;
}
