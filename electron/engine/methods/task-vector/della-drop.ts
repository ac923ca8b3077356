/**
 * DELLA's sparsifier (spec §2 `della`): per row (the last dimension; a 1-D tensor is one row),
 * entries ranked r = 1..m by ascending |δ| are kept with probability
 *   p_r = (d − ε) + (2·ε·(r − 1)) / (m − 1)   (float64, in that order; p = d when m = 1)
 * by the spec's counter-based hash (u_j < ⌊p_r·2^32⌋); with the `inverse` rule a survivor is
 * multiplied by float32(1/p_r). Rank ties: the lower flat index counts as larger, so among equal
 * magnitudes the higher index gets the lower rank (the smaller p). Units given to apply() are
 * whole rows.
 */
import { fmix32, keepThreshold, randomKey } from '../../backend/float-bits.js';
import { StatelessSparsifier, type SparsifyContext } from './sparsifier.js';

const fr = Math.fround;

/** Keep probability of ascending rank r (1-based) in a row of m (spec §2). */
export function dellaKeepProbability(density: number, epsilon: number, r: number, m: number): number {
  return m === 1 ? density : density - epsilon + (2 * epsilon * (r - 1)) / (m - 1);
}

export class DellaDrop extends StatelessSparsifier {
  private readonly key: number;
  /** By ascending rank index r − 1: ⌊p·2^32⌋ and float32(1/p). */
  private readonly thresholds: Float64Array;
  private readonly inverses: Float32Array;
  private readonly rowLength: number;

  constructor(
    density: number,
    epsilon: number,
    private readonly inverse: boolean,
    private readonly ctx: SparsifyContext,
  ) {
    super();
    if (!ctx.rows) throw new Error('DELLA needs the row structure');
    const m = ctx.rows.length;
    this.rowLength = m;
    this.key = randomKey(ctx.seed, ctx.name, ctx.modelIndex);
    this.thresholds = new Float64Array(m);
    this.inverses = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const p = dellaKeepProbability(density, epsilon, i + 1, m);
      this.thresholds[i] = keepThreshold(p);
      this.inverses[i] = 1 / p;
    }
  }

  apply(delta: Float32Array, start: number, len: number): void {
    this.drop(delta, start, len);
  }

  /** apply(), also writing each entry's decision to decisions[0..len): 1 kept, 0 dropped (l1-rescale.ts keeps them for its output pass). */
  applyRecording(delta: Float32Array, start: number, len: number, decisions: Uint8Array): void {
    this.drop(delta, start, len, decisions);
  }

  private drop(delta: Float32Array, start: number, len: number, decisions?: Uint8Array): void {
    const m = this.rowLength;
    if (len % m !== 0) throw new Error(`DELLA unit of ${len} is not whole rows of ${m}`);
    const j0 = this.ctx.offset + start;
    const source = this.ctx.maskSource;
    const be = this.ctx.backend;
    if (!source && be.dellaRows) {
      // The same decisions in WebAssembly: this loop and MagnitudeOrder's radix sort in TypeScript
      // took 55 ns per element (a DELLA merge of the engine bench's 1.4 GB models: 60 s).
      be.dellaRows(delta, len / m, m, j0, this.key, this.thresholds, this.inverse ? this.inverses : null, decisions);
      return;
    }
    const keep = source ? this.ctx.keep() : undefined;
    if (source) source(this.ctx.modelIndex, j0, len, keep!);
    const order = this.ctx.rows!.order;
    const { thresholds, inverses, key, inverse } = this;
    for (let r0 = 0; r0 < len; r0 += m) {
      const row = delta.subarray(r0, r0 + m);
      const desc = order.order(row, m);
      for (let q = 0; q < m; q++) {
        const e = desc[q];
        const rank = m - 1 - q; // ascending rank index r − 1
        const local = r0 + e;
        const kept = keep ? keep[local] !== 0 : fmix32(((j0 + local) ^ key) >>> 0) < thresholds[rank];
        if (decisions) decisions[local] = kept ? 1 : 0;
        row[e] = !kept ? 0 : inverse ? fr(row[e] * inverses[rank]) : row[e];
      }
    }
  }
}
