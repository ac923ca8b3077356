/** The canvas shows its minimap only with room for it: 900 × 500 px or more. */
import { describe, expect, it } from 'vitest';
import { minimapFits } from '../../../renderer/src/components/minimap-fit.js';

describe('minimapFits', () => {
  it('fits at 900 × 500 and above', () => {
    expect(minimapFits(900, 500)).toBe(true);
    expect(minimapFits(1185, 820)).toBe(true); // the app at 1400 × 900 with no side panel
  });
  it('does not fit on a canvas narrowed by a side panel or shortened by the run panel', () => {
    expect(minimapFits(735, 630)).toBe(false); // a side panel open at 1400 × 900
    expect(minimapFits(899, 800)).toBe(false);
    expect(minimapFits(1200, 499)).toBe(false);
    expect(minimapFits(0, 0)).toBe(false); // not yet measured
  });
});
