/** Reused float buffers by slot, so K variants and many layers do not allocate per call. */
export class Scratch {
  private readonly bufs: Float32Array[] = [];
  private f64?: Float64Array;

  /** A buffer of exactly n floats (a view of a reused one); contents unspecified. */
  get(slot: number, n: number): Float32Array {
    let b = this.bufs[slot];
    if (!b || b.length < n) {
      b = new Float32Array(n);
      this.bufs[slot] = b;
    }
    return b.length === n ? b : b.subarray(0, n);
  }

  float64(n: number): Float64Array {
    if (!this.f64 || this.f64.length < n) this.f64 = new Float64Array(n);
    return this.f64;
  }
}
