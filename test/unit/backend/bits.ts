/** Test inputs as float32 bit patterns (random, and the edge cases rounding and NaN rules care about), and bit-exact comparison. */
import type { Backend } from '../../../electron/engine/backend/types.js';

/** mulberry32: a small seeded generator, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Float32 bit patterns that every primitive must treat exactly like the reference. */
export const SPECIAL_BITS: readonly number[] = [
  0x00000000, 0x80000000, // ±0
  0x7f800000, 0xff800000, // ±inf
  0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fbfffff, 0x7fffffff, 0xffffffff, 0x7fc12345, 0xffa5a5a5, // NaNs, quiet and signalling
  0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, 0x00012345, // subnormals
  0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff, // smallest normal, largest finite
  0x3f800000, 0xbf800000, 0x3f808000, 0x3f818000, 0x3f807fff, 0x3f808001, 0xbf808000, 0x3f7f8000, 0x7f7f8000, 0x7f7fc000, // bf16 ties and overflow
  0x477fe000, 0x477fefff, 0x477ff000, 0x477fffff, 0x47800000, 0xc77ff000, // f16 overflow boundary (65504, 65520)
  0x38800000, 0x387fe000, 0x387ff000, 0x387fffff, 0x33800000, 0x33000000, 0x33000001, 0x33400000, 0x32ffffff, 0x33c00000, 0x34000000, // f16 subnormal and tie boundaries
  0x3a001000, 0x3a003000, 0x3a000fff, 0x3a001001, 0xba001000, // f16 normal ties
];

/** n float32 bit patterns: mostly random over every exponent, with special values and ties mixed in. */
export function mixedBits(n: number, seed: number): Uint32Array {
  const next = rng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    const kind = r % 8;
    if (kind === 0) out[i] = SPECIAL_BITS[next() % SPECIAL_BITS.length];
    else if (kind === 1) out[i] = next(); // any pattern at all
    else if (kind === 2) out[i] = (next() & 0xffff0000) | 0x8000 | (next() & 1 ? 0 : 0x1000); // bf16 / f16 ties
    else {
      // "weight-like": |x| around 1e-3..1 with either sign.
      const exp = 112 + (next() % 16);
      out[i] = ((next() & 1) << 31) | (exp << 23) | (next() & 0x7fffff);
    }
  }
  return out;
}

/** Copies bit patterns into a scratch float32 slot of `be` and returns the view (length >= bits.length). */
export function loadF32(be: Backend, slot: number, bits: Uint32Array): Float32Array {
  const view = be.f32(slot, bits.length);
  new Uint32Array(view.buffer, view.byteOffset, bits.length).set(bits);
  return view;
}

export function loadBytes(be: Backend, slot: number, bytes: Uint8Array): Uint8Array {
  const view = be.bytes(slot, bytes.length);
  view.set(bytes);
  return view;
}

export function bitsOf(a: Float32Array, n: number = a.length): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, n).slice();
}

/** Throws naming the first differing element, or returns true when the bit patterns are identical. */
export function sameBits(actual: ArrayBufferView, expected: ArrayBufferView, bytes: number, label = ''): true {
  const a = new Uint8Array(actual.buffer, actual.byteOffset, bytes);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, bytes);
  if (Buffer.compare(Buffer.from(a), Buffer.from(e)) === 0) return true;
  // Report by 32-bit element when aligned, else by byte.
  const step = bytes % 4 === 0 ? 4 : bytes % 2 === 0 ? 2 : 1;
  for (let i = 0; i < bytes; i += step) {
    let x = 0;
    let y = 0;
    for (let j = step - 1; j >= 0; j--) {
      x = x * 256 + a[i + j];
      y = y * 256 + e[i + j];
    }
    if (x !== y) {
      throw new Error(`${label} element ${i / step}: got 0x${x.toString(16)}, expected 0x${y.toString(16)}`);
    }
  }
  return true;
}
