/**
 * When the canvas has room for the minimap. React Flow draws it 200 × 150 px over the canvas's
 * bottom-right corner, where it covers nodes and takes their clicks; on a canvas narrowed by a side
 * panel or shortened by the run panel it would cover a node's sliders. Below this size it is hidden
 * (View → Minimap turns it off everywhere).
 */
export const MINIMAP_MIN_CANVAS = { width: 900, height: 500 } as const;

export function minimapFits(width: number, height: number): boolean {
  return width >= MINIMAP_MIN_CANVAS.width && height >= MINIMAP_MIN_CANVAS.height;
}
