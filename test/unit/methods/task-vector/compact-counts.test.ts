import { describe, expect, it } from 'vitest';
import { compactCounts } from '../../../../electron/engine/methods/lib/compact-counts.js';

describe('compactCounts: a histogram copy in the narrowest type that holds its largest count', () => {
  it('picks Uint8, Uint16 or Uint32 by the largest count, keeping every value', () => {
    const cases: [number[], string][] = [
      [[0, 0, 0], 'Uint8Array'],
      [[3, 255, 0, 7], 'Uint8Array'],
      [[256, 0, 1], 'Uint16Array'],
      [[65535, 2], 'Uint16Array'],
      [[65536, 0], 'Uint32Array'],
      [[0xffffffff, 1], 'Uint32Array'],
    ];
    for (const [values, type] of cases) {
      const c = compactCounts(Uint32Array.from(values));
      expect(c.constructor.name, values.join(',')).toBe(type);
      expect(Array.from(c)).toEqual(values);
    }
  });

  it('copies a sub-range, judged by the counts inside it only', () => {
    const h = Uint32Array.from([70000, 1, 2, 3, 70000]);
    const c = compactCounts(h, 1, 4);
    expect(c).toBeInstanceOf(Uint8Array);
    expect(Array.from(c)).toEqual([1, 2, 3]);
  });

  it('is a copy: later changes to the histogram do not show in it', () => {
    const h = Uint32Array.from([5, 6]);
    const c = compactCounts(h);
    h[0] = 9;
    expect(Array.from(c)).toEqual([5, 6]);
  });
});
