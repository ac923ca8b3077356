/** Where a node added from the palette lands: free of other nodes, inside the visible canvas when there is room. */
import { describe, expect, it } from 'vitest';
import { freeSpot } from '../../../renderer/src/state/flow-instance.js';
import type { FlowNode } from '../../../renderer/src/state/flow-types.js';

const node = (x: number, y: number, width: number, height: number) => ({ id: `n${x}-${y}`, position: { x, y }, measured: { width, height } }) as unknown as FlowNode;
const merge = { w: 300, h: 420 };

describe('freeSpot', () => {
  it('takes the start on an empty canvas', () => {
    expect(freeSpot([], { x: 0, y: 0 }, merge, { x: 0, y: 0, w: 1000, h: 800 })).toEqual({ x: 0, y: 0 });
  });
  it('goes down past a node, keeping a 10 px margin (rows 40 px apart)', () => {
    // A 240 × 190 node at the origin: a spot at y = 160 would come within 10 px of it; y = 200 does not.
    expect(freeSpot([node(0, 0, 240, 190)], { x: 0, y: 0 }, merge, { x: 0, y: 0, w: 1000, h: 800 })).toEqual({ x: 0, y: 200 });
  });
  it('goes right when going down would leave the visible area', () => {
    // 200 + 420 > 500: the next column, 300 + 40 to the right, is free at the top.
    expect(freeSpot([node(0, 0, 240, 190)], { x: 0, y: 0 }, merge, { x: 0, y: 0, w: 1000, h: 500 })).toEqual({ x: 340, y: 0 });
  });
  it('takes the first free spot outside the area when none inside is free', () => {
    expect(freeSpot([node(0, 0, 240, 190)], { x: 0, y: 0 }, merge, { x: 0, y: 0, w: 300, h: 420 })).toEqual({ x: 0, y: 200 });
  });
  it('counts a node by its measured size, not the default', () => {
    // A tall 300 × 600 node: the default 220 px would have let y = 240 pass.
    expect(freeSpot([node(0, 0, 300, 600)], { x: 0, y: 0 }, { w: 260, h: 220 })).toEqual({ x: 0, y: 640 });
  });
});
