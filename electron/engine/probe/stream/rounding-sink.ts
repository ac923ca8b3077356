/**
 * A kernel sink that keeps the merged tensor in memory after rounding it to the output dtype
 * (so the probe sees the bits a merge would write), whole or only some rows. Rounds with the
 * TypeScript backend, which takes any array (the kernels' backend may be WebAssembly; both write
 * the same bits).
 */

const rounding = new TsBackend();
import { TsBackend } from '../../backend/ts-backend.js';
import type { FloatDtype } from '../../io/dtype.js';
import { DTYPE_SIZE } from '../../io/dtype.js';
import type { TensorSink } from '../../methods/kernel.js';

export class RoundingSink implements TensorSink {
  /** The whole tensor, or the requested rows in request order ([rows.length, cols]). */
  readonly data: Float32Array;
  private readonly rowSlot?: Map<number, number[]>;
  private raw = new Uint8Array(0);
  private round = new Float32Array(0);

  constructor(
    numel: number,
    private readonly dtype: FloatDtype,
    private readonly cols: number,
    private readonly rows?: Int32Array,
    /** Written into instead of a new array (every element is overwritten): its length must fit. */
    into?: Float32Array,
  ) {
    const length = rows ? rows.length * cols : numel;
    if (into && into.length !== length) throw new RangeError(`a buffer of ${into.length} floats for a tensor of ${length}`);
    if (rows) {
      this.data = into ?? new Float32Array(length);
      this.rowSlot = new Map();
      rows.forEach((r, i) => {
        const list = this.rowSlot!.get(r) ?? [];
        list.push(i);
        this.rowSlot!.set(r, list);
      });
    } else {
      this.data = into ?? new Float32Array(numel);
    }
  }

  write(start: number, src: Float32Array, count: number): void {
    let vals = src;
    if (this.dtype !== 'F32') {
      if (this.raw.length < count * DTYPE_SIZE[this.dtype]) {
        this.raw = new Uint8Array(count * DTYPE_SIZE[this.dtype] + 8);
        this.round = new Float32Array(count);
      }
      rounding.encode(this.dtype, src, this.raw, count);
      rounding.decode(this.dtype, this.raw, this.round, count);
      vals = this.round;
    }
    if (!this.rowSlot) {
      this.data.set(vals.subarray(0, count), start);
      return;
    }
    const cols = this.cols;
    const end = start + count;
    for (let r = Math.floor(start / cols); r * cols < end; r++) {
      const slots = this.rowSlot.get(r);
      if (!slots) continue;
      const from = Math.max(start, r * cols);
      const to = Math.min(end, (r + 1) * cols);
      for (const slot of slots) this.data.set(vals.subarray(from - start, to - start), slot * cols + (from - r * cols));
    }
  }
}
