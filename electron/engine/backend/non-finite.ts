/**
 * Counting NaN and ±Inf among stored floats by their bits: the reference the WebAssembly kernels
 * (native/non-finite.ts, and the encodes of native/convert.ts) must match. A value is non-finite
 * when its exponent bits are all ones: Inf when the mantissa is zero, NaN otherwise.
 */
import type { FloatDtype } from '../io/dtype.js';
import type { NonFiniteTally } from './types.js';

/** The all-ones exponent (and the +Inf pattern) of a 16-bit float. */
export const BF16_EXP = 0x7f80;
export const HALF_EXP = 0x7c00;

/** Adds the NaN and ±Inf among n 16-bit floats whose all-ones exponent is `exp`. */
export function tally16(h: Uint16Array, n: number, exp: number, tally: NonFiniteTally): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < n; i++) {
    const a = h[i] & 0x7fff;
    if (a >= exp) {
      if (a === exp) inf++;
      else nan++;
    }
  }
  tally.nan += nan;
  tally.inf += inf;
}

/** Adds the NaN and ±Inf among n float32 bit patterns. */
export function tally32(u: Uint32Array, n: number, tally: NonFiniteTally): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < n; i++) {
    const a = u[i] & 0x7fffffff;
    if (a >= 0x7f800000) {
      if (a === 0x7f800000) inf++;
      else nan++;
    }
  }
  tally.nan += nan;
  tally.inf += inf;
}

/** Adds the NaN and ±Inf among n float64 values. */
export function tally64(x: Float64Array, n: number, tally: NonFiniteTally): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) inf++;
  }
  tally.nan += nan;
  tally.inf += inf;
}

/**
 * Adds the NaN and ±Inf among n stored values of dtype (bytes as in a safetensors file,
 * little-endian). A first pass only looks for an all-ones exponent (most tensors have none).
 */
export function tallyStored(dtype: FloatDtype, src: Uint8Array, n: number, tally: NonFiniteTally): void {
  switch (dtype) {
    case 'BF16':
    case 'F16': {
      const h = new Uint16Array(src.buffer, src.byteOffset, n);
      const exp = dtype === 'BF16' ? BF16_EXP : HALF_EXP;
      if (maxAbs16(h, n) >= exp) tally16(h, n, exp, tally);
      return;
    }
    case 'F32': {
      const u = new Uint32Array(src.buffer, src.byteOffset, n);
      if (maxAbs32(u, n) >= 0x7f800000) tally32(u, n, tally);
      return;
    }
    case 'F64':
      return tally64(new Float64Array(src.buffer, src.byteOffset, n), n, tally);
  }
}

/** The largest of h[i] & 0x7fff (the bits of |x|) over n 16-bit floats; 0 when n is 0. */
export function maxAbs16(h: Uint16Array, n: number): number {
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, h[i] & 0x7fff);
  return top;
}

/** The largest of the bits of |x| over n float32 bit patterns; 0 when n is 0. */
export function maxAbs32(u: Uint32Array, n: number): number {
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, u[i] & 0x7fffffff);
  return top;
}
