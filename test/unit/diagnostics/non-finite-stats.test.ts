/**
 * Diagnostics of a tensor holding ±Inf or NaN: every statistic is finite or null, so the event
 * survives JSON (which has neither) and the contract's schema — an event with Infinity in it was
 * refused by the page, and took the events sent with it (the tensor's NaN/Inf warning included).
 */
import { describe, expect, it } from 'vitest';
import { DiagnosticsEventSchema } from '../../../common/contract/run.js';
import { emptySums, finishStats } from '../../../electron/engine/diagnostics/merge-stats.js';

describe('finishStats with non-finite sums', () => {
  it('gives null for the norms and ratios an Inf or NaN makes undefined, and keeps the counts', () => {
    const s = emptySums(2);
    // Model 0's task vector holds an Inf: ‖δ_0‖² = Inf; the cross term is NaN; model 1 is finite.
    s.gram = [Infinity, NaN, NaN, 4];
    s.inputSq = [Infinity, 9];
    s.outSq = Infinity;
    s.inf = 3;
    s.nan = 1;
    const st = finishStats(s);
    expect(st.taskNorms).toEqual([null, 2]);
    expect(st.mergedNorm).toBeNull();
    expect(st.normRatio).toBeNull();
    expect(st.cosine).toBeNull();
    expect(st.normSag).toBeNull();
    expect([st.inf, st.nan]).toEqual([3, 1]);
    const event = JSON.parse(JSON.stringify({ type: 'diagnostics', name: 'w', layer: 0, group: 'mlp', stats: st }));
    expect(DiagnosticsEventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps finite values as they are: task norms 3 and 4 give the ratio 4/3', () => {
    const s = emptySums(2);
    s.gram = [9, 0, 0, 16];
    s.inputSq = [9, 16];
    s.outSq = 25;
    const st = finishStats(s);
    expect(st.taskNorms).toEqual([3, 4]);
    expect(st.normRatio).toBeCloseTo(4 / 3, 12);
    expect(st.cosine).toBe(0);
    expect(st.mergedNorm).toBe(5);
    // ‖merged‖ / mean ‖x_i‖ = 5 / 3.5.
    expect(st.normSag).toBeCloseTo(5 / 3.5, 12);
  });
});
