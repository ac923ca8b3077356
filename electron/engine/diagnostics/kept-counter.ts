/**
 * Counts, while the diagnostics pass streams a tensor's task vectors, the non-zero coordinates of
 * each model that the merge's random or rank-dependent dropping kept. It recomputes the merge's
 * decisions rather than asking the kernels: DARE's and DELLA's keep tests are the spec's
 * counter-based hash of the flat index under the same key (seed, output tensor name, model index),
 * so they are cheap to repeat exactly; DELLA ranks each row with the kernels' own sorter, except
 * where its merge kept its decisions (the statistics state of the tensor, or of the range, holds
 * them); sce's
 * shared variance mask is found again by the same radix select (one or two extra reads of the
 * inputs, sce only), except in a range of a split tensor, which takes its cut from the merge. Magnitude bands need no counting (keep-rules.ts).
 */
import type { Backend } from '../backend/types.js';
import { fmix32, keepThreshold, randomKey } from '../backend/float-bits.js';
import { MagnitudeOrder } from '../methods/lib/magnitude-order.js';
import { KEEP_NONE, RadixSelect, type TopKCut } from '../methods/lib/radix-select.js';
import { RankBandCursor } from '../methods/lib/rank-band.js';
import { Scratch, type View } from '../methods/lib/scratch.js';
import { dellaKeepProbability } from '../methods/task-vector/della-drop.js';
import { unitBits } from '../methods/task-vector/kept-decisions.js';
import { rowLength, rowUnit } from '../methods/task-vector/rows.js';
import type { KeepRule } from './keep-rules.js';

export interface KeptCounterContext {
  /** The output tensor's name (the random keys hash it) and shape (DELLA's rows). */
  name: string;
  shape: readonly number[];
  /** Elements of this range, and the flat index of its element 0 in the whole tensor. */
  count: number;
  offset: number;
  seed: number;
  /** Elements per measured chunk the caller would use. */
  chunk: number;
  /**
   * sce: the variance cut as this range applies it, when the merge already found it (a tensor
   * split into ranges carries it in its statistics state; a range alone could not find it again),
   * or 'none' when nothing survived the mask. Without it, prepare() finds the cut by sweeping.
   */
  sceCut?: TopKCut | 'none';
  /**
   * DELLA: per model, the range's keep decisions as its merge kept them (kept-decisions.ts, in the
   * merge's units, which are this counter's), when it did: counted from instead of ranking each row.
   */
  dellaBits?: readonly (Uint8Array | undefined)[];
}

/** Reads every model's task vector of [start, start + len) into deltas (float32, x_i − b). */
export type DeltaSweep = (visit: (deltas: readonly Float32Array[], start: number, len: number) => void) => void;

interface DellaTables {
  key: number;
  /** ⌊p_r·2^32⌋ by ascending rank index r − 1. */
  thresholds: Float64Array;
}

export class KeptCounter {
  /** Elements per chunk of the caller's pass: whole rows when a model is DELLA-dropped. */
  readonly unit: number;
  private readonly keys: number[];
  private readonly thresholds: number[];
  private readonly della: (DellaTables | undefined)[];
  private readonly rowLength: number;
  private readonly order: MagnitudeOrder | undefined;
  private readonly sce: { topk: number; v: View<Float32Array>; keep: View<Uint8Array>; select: RadixSelect } | undefined;
  private cursor: RankBandCursor | undefined;
  /** sce: nothing survives the mask (the kernel then writes the base). */
  private keepNothing = false;
  /** Flat index of this range's element 0, and DELLA's kept decisions per model (KeptCounterContext). */
  private readonly offset: number;
  private readonly dellaBits: readonly (Uint8Array | undefined)[];

  /** Reserves its scratch now (before the caller takes views of its own buffers). */
  constructor(
    private readonly be: Backend,
    private readonly rules: readonly KeepRule[],
    ctx: KeptCounterContext,
  ) {
    const scratch = new Scratch(be);
    this.offset = ctx.offset;
    this.dellaBits = ctx.dellaBits ?? [];
    this.keys = rules.map((_, i) => randomKey(ctx.seed >>> 0, ctx.name, i));
    this.thresholds = rules.map((r) => (r.kind === 'random' ? keepThreshold(r.density) : 0));
    const perRow = rules.some((r) => r.kind === 'della');
    this.rowLength = perRow ? rowLength(ctx.shape, ctx.count) : 0;
    this.unit = perRow && this.rowLength > 0 ? rowUnit(this.rowLength, ctx.chunk) : ctx.chunk;
    this.order = perRow && this.rowLength > 0 ? new MagnitudeOrder(scratch, this.rowLength) : undefined;
    this.della = rules.map((r, i) => {
      if (r.kind !== 'della') return undefined;
      const m = this.rowLength;
      const thresholds = new Float64Array(m);
      for (let q = 0; q < m; q++) thresholds[q] = keepThreshold(dellaKeepProbability(r.density, r.epsilon, q + 1, m));
      return { key: this.keys[i], thresholds };
    });
    const sceRule = rules.find((r): r is Extract<KeepRule, { kind: 'sce' }> => r.kind === 'sce');
    this.sce = sceRule
      ? { topk: sceRule.topk, v: scratch.f32(this.unit), keep: scratch.bytes(this.unit), select: new RadixSelect(be, scratch) }
      : undefined;
    if (this.sce && ctx.sceCut !== undefined) {
      if (ctx.sceCut === 'none') this.keepNothing = true;
      else this.cursor = new RankBandCursor(ctx.sceCut, KEEP_NONE);
    }
  }

  /** Whether prepare() must sweep the inputs first (sce's variance cut, when not given). */
  get needsPrepare(): boolean {
    return this.sce !== undefined && !this.cursor && !this.keepNothing;
  }

  /** sce: the k = ⌊select_topk · count_nonzero(v)⌋ largest variances, found as the kernel finds them. */
  prepare(sweep: DeltaSweep): void {
    const sce = this.sce;
    if (!sce || !this.needsPrepare) return;
    let nonzero = 0;
    sce.select.beginHigh();
    sweep((deltas, _start, len) => {
      const v = sce.v();
      nonzero += this.be.populationVariance(deltas, len, v);
      sce.select.addHigh(v, len);
    });
    const k = Math.floor(sce.topk * nonzero);
    if (k === 0) {
      this.keepNothing = true;
      return;
    }
    if (sce.select.plan([k])) {
      sweep((deltas, _start, len) => {
        const v = sce.v();
        this.be.populationVariance(deltas, len, v);
        sce.select.addLow(v, len);
      });
    }
    const cut: TopKCut = sce.select.cuts()[0];
    this.cursor = new RankBandCursor(cut, KEEP_NONE);
  }

  /**
   * Adds to kept[i] model i's non-zero coordinates among the next len (chunks in flat order) that
   * survive; j0: the flat index in the whole tensor of deltas[·][0].
   */
  count(deltas: readonly Float32Array[], j0: number, len: number, kept: number[]): void {
    let sceKeep: Uint8Array | undefined;
    if (this.sce && this.cursor) {
      const v = this.sce.v();
      sceKeep = this.sce.keep();
      this.be.populationVariance(deltas, len, v);
      this.cursor.mark(v, len, sceKeep);
    }
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i];
      const d = deltas[i];
      let c = 0;
      if (rule.kind === 'random') {
        c = this.be.countKeptRandom(d, len, j0, this.keys[i], this.thresholds[i]);
      } else if (rule.kind === 'della') {
        const bits = this.dellaBits[i];
        c = bits ? countKeptBits(d, unitBits(bits, this.unit, j0 - this.offset, len), len) : this.countDella(d, j0, len, this.della[i]!);
      } else if (rule.kind === 'sce') {
        if (this.keepNothing || !sceKeep) continue;
        for (let e = 0; e < len; e++) if (sceKeep[e] !== 0 && d[e] !== 0) c++;
      } else {
        continue;
      }
      kept[i] += c;
    }
  }

  private countDella(d: Float32Array, j0: number, len: number, t: DellaTables): number {
    const m = this.rowLength;
    if (len % m !== 0) throw new Error(`DELLA diagnostics chunk of ${len} is not whole rows of ${m}`);
    let c = 0;
    for (let r0 = 0; r0 < len; r0 += m) {
      const row = d.subarray(r0, r0 + m);
      const desc = this.order!.order(row, m);
      for (let q = 0; q < m; q++) {
        const e = desc[q];
        if (row[e] === 0) continue;
        if (fmix32(((j0 + r0 + e) ^ t.key) >>> 0) < t.thresholds[m - 1 - q]) c++;
      }
    }
    return c;
  }
}

/** Non-zero entries of d[0..len) whose bit (bit j & 7 of byte j >> 3) says kept. */
function countKeptBits(d: Float32Array, bits: Uint8Array, len: number): number {
  let c = 0;
  for (let j = 0; j < len; j++) if (d[j] !== 0 && ((bits[j >> 3] >> (j & 7)) & 1) !== 0) c++;
  return c;
}
