/** A notice at the pointer stays inside the window. */
import { describe, expect, it } from 'vitest';
import { pointerNoticePosition } from '../../../renderer/src/components/notice-position.js';

const VIEW = { width: 1280, height: 720 };

describe('pointerNoticePosition', () => {
  it('sits 12 px below and right of the pointer where there is room', () => {
    expect(pointerNoticePosition({ x: 300, y: 200 }, VIEW)).toEqual({ left: 312, top: 212 });
  });

  it('moves left to end 8 px inside the right edge (1280 − 460 − 8 = 812), and up likewise at the bottom (720 − 80 − 8 = 632)', () => {
    expect(pointerNoticePosition({ x: 1200, y: 700 }, VIEW)).toEqual({ left: 812, top: 632 });
  });

  it('never goes past the top-left corner, even in a window narrower than the notice', () => {
    expect(pointerNoticePosition({ x: 100, y: 10 }, { width: 300, height: 50 })).toEqual({ left: 8, top: 8 });
  });
});
