/**
 * DELLA's keep decisions packed one bit per element, kept from the `l1` rescale's norms pass for
 * its output pass. Both passes need every entry's decision, which takes a rank within its row (a
 * sort, about 13 ns per element); keeping the bits (1/32 of the float32 task vector) spares the
 * second sort. Bits are laid out unit by unit (the pipeline's units are fixed for a range: whole
 * rows, up to a chunk), each unit's starting on a byte, so packing and applying a unit never
 * shares a byte with another unit.
 *
 * Hand-written: bit packing over typed arrays, for which no library fits.
 */

/** Bytes of the packed decisions of a range of n elements processed in units of `unit` elements. */
export function packedBytes(n: number, unit: number): number {
  return Math.ceil(n / unit) * Math.ceil(unit / 8);
}

/** First byte of the unit starting at element `start` (a multiple of unit). */
function unitByte(start: number, unit: number): number {
  if (start % unit !== 0) throw new Error(`kept decisions: unit start ${start} is not a multiple of the unit ${unit}`);
  return (start / unit) * Math.ceil(unit / 8);
}

/** The bytes of the unit of len elements starting at `start` (a multiple of unit): bit j & 7 of byte j >> 3 for its element j. */
export function unitBits(bits: Uint8Array, unit: number, start: number, len: number): Uint8Array {
  const at = unitByte(start, unit);
  return bits.subarray(at, at + Math.ceil(len / 8));
}

/** Packs decisions[0..len) (1 kept, 0 dropped) of the unit starting at `start` into bits. */
export function packDecisions(bits: Uint8Array, unit: number, start: number, decisions: Uint8Array, len: number): void {
  let at = unitByte(start, unit);
  for (let j = 0; j < len; j += 8) {
    const end = Math.min(8, len - j);
    let byte = 0;
    for (let b = 0; b < end; b++) byte |= (decisions[j + b] & 1) << b;
    bits[at++] = byte;
  }
}

/**
 * δ[j] for the unit starting at `start`: kept entries unchanged (read and stored back, as the
 * sparsifier's own loop does, which quiets a signalling NaN), dropped ones +0. On the bits, without
 * a branch per entry: half the entries of a typical density go each way at random, and a branch
 * mispredicted that often made this loop cost as much as a sort.
 */
export function applyDecisions(bits: Uint8Array, unit: number, start: number, delta: Float32Array, len: number): void {
  const at = unitByte(start, unit);
  const u = new Uint32Array(delta.buffer, delta.byteOffset, len);
  for (let j = 0; j < len; j++) {
    const v = u[j] & -((bits[at + (j >> 3)] >> (j & 7)) & 1);
    // A signalling NaN (exponent all ones, quiet bit clear, payload not zero) becomes quiet.
    u[j] = (v & 0x7fc00000) === 0x7f800000 && (v & 0x003fffff) !== 0 ? v | 0x00400000 : v;
  }
}
