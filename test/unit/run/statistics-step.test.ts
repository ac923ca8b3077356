/** Range lengths for tensors split by statistics (build-units.ts statisticsStep), hand-computed. */
import { describe, expect, it } from 'vitest';
import { statisticsStep } from '../../../electron/engine/run/build-units.js';

describe('statisticsStep', () => {
  it('TIES-style statistics (no row rule): splitElements, a multiple of the 4096-element block', () => {
    expect(statisticsStep(1, 1 << 24, 525_336_576)).toBe(1 << 24);
    expect(statisticsStep(1, 8192, 64_000)).toBe(8192);
  });

  it('DELLA rows: whole rows that are also whole blocks', () => {
    // Rows of 4096 divide a block: the step stays splitElements.
    expect(statisticsStep(4096, 1 << 24, 525_336_576)).toBe(1 << 24);
    // Rows of 14336 (Llama 3's intermediate size) = 7 · 2048: lcm with 4096 is 28672; 585 of them fit in 2^24.
    expect(statisticsStep(14336, 1 << 24, 14336 * 4096)).toBe(585 * 28672);
    // Rows of 64 in a range of 4096: one block holds 64 rows.
    expect(statisticsStep(64, 4096, 64_000)).toBe(4096);
    // A row longer than splitElements: one whole row-and-block multiple per range.
    expect(statisticsStep(5000, 4096, 5000 * 4096 * 3)).toBe(5000 * 512);
  });

  it('keeps the tensor whole when one multiple is the whole tensor or more (a 1-D tensor is one row)', () => {
    expect(statisticsStep(100_000, 4096, 100_000)).toBe(100_000);
    expect(statisticsStep(14336, 4096, 14336)).toBe(14336);
  });
});
