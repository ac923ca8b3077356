/**
 * arcee_fusion's per-row divergence (spec §3): KL(softmax(b) ‖ softmax(a)) over one row, with
 * +1e-8 inside the logs: Σ_j p_j·log(p_j/q_j), p = softmax(b) + 1e-8, q = softmax(a) + 1e-8.
 *
 * Hand-written (the Backend has no exp/log primitive): float64, max-shifted exponentials, every sum
 * taken sequentially in element order with the running value carried across pieces, so a row fed
 * whole or in pieces (three passes: maxima, normalisers, divergence) gives the same bits.
 */
const LOG_EPS = 1e-8;

/** A row's exponentials exp(a − max a) and exp(b − max b), kept between passes 2 and 3. */
export interface RowExps {
  a: Float64Array;
  b: Float64Array;
}

export class RowSoftmaxKl {
  private maxA = -Infinity;
  private maxB = -Infinity;
  private sumA = 0;
  private sumB = 0;
  private kl = 0;

  /** Pass 1 over the row: the maxima. */
  observeMax(a: Float32Array, b: Float32Array, off: number, n: number): void {
    let ma = this.maxA;
    let mb = this.maxB;
    for (let j = off; j < off + n; j++) {
      if (a[j] > ma) ma = a[j];
      if (b[j] > mb) mb = b[j];
    }
    this.maxA = ma;
    this.maxB = mb;
  }

  /** Pass 2: the softmax normalisers Σ exp(x − max); with `exps`, each exponential is also kept there (index j − off). */
  observeNormalisers(a: Float32Array, b: Float32Array, off: number, n: number, exps?: RowExps): void {
    let sa = this.sumA;
    let sb = this.sumB;
    for (let j = off; j < off + n; j++) {
      const x = Math.exp(a[j] - this.maxA);
      const y = Math.exp(b[j] - this.maxB);
      if (exps) {
        exps.a[j - off] = x;
        exps.b[j - off] = y;
      }
      sa += x;
      sb += y;
    }
    this.sumA = sa;
    this.sumB = sb;
  }

  /** Pass 3: the divergence terms; with `exps`, the exponentials pass 2 kept for these elements. */
  observeDivergence(a: Float32Array, b: Float32Array, off: number, n: number, exps?: RowExps): void {
    let kl = this.kl;
    for (let j = off; j < off + n; j++) {
      const p = (exps ? exps.b[j - off] : Math.exp(b[j] - this.maxB)) / this.sumB + LOG_EPS;
      const q = (exps ? exps.a[j - off] : Math.exp(a[j] - this.maxA)) / this.sumA + LOG_EPS;
      kl += p * Math.log(p / q);
    }
    this.kl = kl;
  }

  /**
   * The divergence rounded to float32 (a per-row scalar, spec §0), floored at 0: it is ≥ 0 in exact
   * arithmetic, and the importance I = |b − a|·KL must be non-negative for the radix select.
   */
  value(): number {
    return Math.fround(Math.max(0, this.kl));
  }
}

/**
 * The divergence of a row held in memory: elements [off, off + n) of a (base) and b (other). With
 * `exps` (two float64 arrays of at least n), each exponential is computed once, in the normalisers'
 * pass, and kept for the divergence's: the same values, so the same bits, with half the Math.exp
 * calls (which with Math.log were nearly half of an arcee_fusion merge's time).
 */
export function rowKl(a: Float32Array, b: Float32Array, off: number, n: number, exps?: RowExps): number {
  const kl = new RowSoftmaxKl();
  kl.observeMax(a, b, off, n);
  kl.observeNormalisers(a, b, off, n, exps);
  kl.observeDivergence(a, b, off, n, exps);
  return kl.value();
}
