/**
 * arcee_fusion's per-row divergence (spec §3): KL(softmax(b) ‖ softmax(a)) over one row, with
 * +1e-8 inside the logs: Σ_j p_j·log(p_j/q_j), p = softmax(b) + 1e-8, q = softmax(a) + 1e-8.
 *
 * Hand-written (the Backend has no exp/log primitive): float64, max-shifted exponentials, every sum
 * taken sequentially in element order with the running value carried across pieces, so a row fed
 * whole or in pieces (three passes: maxima, normalisers, divergence) gives the same bits.
 */
const LOG_EPS = 1e-8;

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

  /** Pass 2: the softmax normalisers Σ exp(x − max). */
  observeNormalisers(a: Float32Array, b: Float32Array, off: number, n: number): void {
    let sa = this.sumA;
    let sb = this.sumB;
    for (let j = off; j < off + n; j++) {
      sa += Math.exp(a[j] - this.maxA);
      sb += Math.exp(b[j] - this.maxB);
    }
    this.sumA = sa;
    this.sumB = sb;
  }

  /** Pass 3: the divergence terms. */
  observeDivergence(a: Float32Array, b: Float32Array, off: number, n: number): void {
    let kl = this.kl;
    for (let j = off; j < off + n; j++) {
      const p = Math.exp(b[j] - this.maxB) / this.sumB + LOG_EPS;
      const q = Math.exp(a[j] - this.maxA) / this.sumA + LOG_EPS;
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

/** The divergence of a row held in memory: elements [off, off + n) of a (base) and b (other). */
export function rowKl(a: Float32Array, b: Float32Array, off: number, n: number): number {
  const kl = new RowSoftmaxKl();
  kl.observeMax(a, b, off, n);
  kl.observeNormalisers(a, b, off, n);
  kl.observeDivergence(a, b, off, n);
  return kl.value();
}
