/** The warnings for NaN and ±Inf in a merge's output: their text, the cap on tensors named, the summary. */
import { describe, expect, it } from 'vitest';
import { MAX_NAMED_TENSORS, NonFiniteReport, tensorMessage } from '../../../electron/engine/run/non-finite-report.js';

describe('tensorMessage', () => {
  it('Inf and NaN in a float16 tensor: the counts, the size, and where float16 Inf comes from', () => {
    expect(tensorMessage('model.layers.0.mlp.down_proj.weight', 'F16', 1048576, { inf: 3, nan: 2 })).toBe(
      'tensor model.layers.0.mlp.down_proj.weight: 3 of 1048576 values written are Inf (float16 overflows beyond ±65504) and 2 are NaN',
    );
  });

  it('either count alone, singular when 1; no float16 note for other dtypes', () => {
    expect(tensorMessage('w', 'BF16', 8, { inf: 0, nan: 1 })).toBe('tensor w: 1 of 8 values written is NaN');
    expect(tensorMessage('w', 'F32', 8, { inf: 1, nan: 0 })).toBe('tensor w: 1 of 8 values written is Inf');
    expect(tensorMessage('w', 'F16', 8, { inf: 1, nan: 1 })).toBe('tensor w: 1 of 8 values written is Inf (float16 overflows beyond ±65504) and 1 is NaN');
  });
});

describe('NonFiniteReport', () => {
  it('says nothing for clean tensors, and has no summary when all were clean', () => {
    const r = new NonFiniteReport(3);
    expect(r.tensor('a', 'F16', 4, { nan: 0, inf: 0 })).toBeUndefined();
    expect(r.summary()).toBeUndefined();
  });

  it('one tensor with NaN: its warning, then a summary with the totals', () => {
    const r = new NonFiniteReport(12);
    expect(r.tensor('a', 'BF16', 4, { nan: 2, inf: 0 })).toBe('tensor a: 2 of 4 values written are NaN');
    expect(r.summary()).toBe('1 of 12 tensors written holds NaN or Inf values (2 NaN in all): the model is likely broken');
  });

  it(`names at most ${MAX_NAMED_TENSORS} tensors; the summary counts them all and says how many were not named`, () => {
    const r = new NonFiniteReport(300);
    const said: (string | undefined)[] = [];
    for (let i = 0; i < 13; i++) said.push(r.tensor(`t${i}`, 'F32', 10, { nan: 1, inf: i % 2 }));
    expect(said.filter((s) => s !== undefined)).toHaveLength(10);
    expect(said.slice(10)).toEqual([undefined, undefined, undefined]);
    expect(said[9]).toBe('tensor t9: 1 of 10 values written is Inf and 1 is NaN');
    // 13 NaN; Inf in t1, t3, ..., t11: 6.
    expect(r.summary()).toBe('13 of 300 tensors written hold NaN or Inf values (6 Inf and 13 NaN in all): the model is likely broken; 3 of those tensors are not named above');
  });

  it('Inf in a float16 tensor adds what to do about it; Inf in another dtype does not', () => {
    const half = new NonFiniteReport(2, 1);
    half.tensor('a', 'BF16', 4, { nan: 0, inf: 1 });
    half.tensor('b', 'F16', 4, { nan: 0, inf: 2 });
    expect(half.summary()).toBe(
      '2 of 2 tensors written hold NaN or Inf values (3 Inf in all): the model is likely broken; 1 of those tensors is not named above; float16 holds at most ±65504: out_dtype bfloat16 or float32 keeps larger values finite',
    );
    const other = new NonFiniteReport(2);
    other.tensor('a', 'F16', 4, { nan: 1, inf: 0 });
    other.tensor('b', 'F32', 4, { nan: 0, inf: 1 });
    expect(other.summary()).toBe('2 of 2 tensors written hold NaN or Inf values (1 Inf and 1 NaN in all): the model is likely broken');
  });
});
