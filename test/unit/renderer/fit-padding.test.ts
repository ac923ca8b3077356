/**
 * Fit leaves the nodes clear of the minimap and the zoom buttons: the even padding when nothing
 * lands under them, else room beside or above each, whichever keeps the graph larger. The viewports are React Flow's own
 * (getViewportForBounds) for the padding returned; where the nodes land is computed here.
 */
import { describe, expect, it } from 'vitest';
import { getViewportForBounds, type Rect } from '@xyflow/react';
import { fitPadding, type FitScene, type Padding } from '../../../renderer/src/state/fit-padding.js';

// The app at 1400 × 900: the canvas, and React Flow's 200 × 150 minimap 15 px from its bottom-right corner.
const CANVAS = { width: 1183, height: 822 };
const MINIMAP: Rect = { x: 1183 - 215, y: 822 - 165, width: 200, height: 150 };
const ZOOM = { min: 0.1, max: 2 };

const box = (x: number, y: number, width: number, height: number): Rect => ({ x, y, width, height });

function scene(nodes: Rect[], cover: Rect | null = MINIMAP, more: Rect[] = [], padding = 0.15): FitScene {
  return { nodes, canvas: CANVAS, covers: [...(cover ? [cover] : []), ...more], padding, zoom: ZOOM };
}

function bounds(nodes: Rect[]): Rect {
  const x = Math.min(...nodes.map((n) => n.x));
  const y = Math.min(...nodes.map((n) => n.y));
  return { x, y, width: Math.max(...nodes.map((n) => n.x + n.width)) - x, height: Math.max(...nodes.map((n) => n.y + n.height)) - y };
}

/** Where React Flow's fit with `padding` puts each node, in canvas pixels. */
function placed(nodes: Rect[], padding: Padding): { zoom: number; boxes: Rect[] } {
  const v = getViewportForBounds(bounds(nodes), CANVAS.width, CANVAS.height, ZOOM.min, ZOOM.max, padding);
  return { zoom: v.zoom, boxes: nodes.map((n) => box(v.x + n.x * v.zoom, v.y + n.y * v.zoom, n.width * v.zoom, n.height * v.zoom)) };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// The demo as it opens: three models, TIES, and the Output at mid-height on the right.
const DEMO = [box(0, 0, 230, 168), box(0, 220, 230, 168), box(0, 440, 230, 168), box(380, 80, 300, 640), box(780, 200, 300, 232)];
// The same with the Output moved down below TIES's right side: the graph's lower-right node.
const OUTPUT_LOW = [...DEMO.slice(0, 4), box(780, 700, 300, 232)];

describe('fitPadding', () => {
  it('is the even padding with no minimap, or when no node lands under it', () => {
    expect(fitPadding(scene(OUTPUT_LOW, null))).toBe(0.15);
    expect(fitPadding(scene(DEMO))).toBe(0.15);
    expect(placed(DEMO, 0.15).boxes.some((b) => overlaps(b, MINIMAP))).toBe(false);
  });

  it('keeps a lower-right node clear of the minimap that the even padding puts under it', () => {
    expect(placed(OUTPUT_LOW, 0.15).boxes.some((b) => overlaps(b, MINIMAP))).toBe(true);
    const { boxes } = placed(OUTPUT_LOW, fitPadding(scene(OUTPUT_LOW)));
    for (const b of boxes) {
      expect(overlaps(b, MINIMAP)).toBe(false);
      // Still wholly on the canvas.
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(CANVAS.width);
      expect(b.y + b.height).toBeLessThanOrEqual(CANVAS.height);
    }
  });

  it('a wide graph goes above the minimap, a taller one beside it, at the zoom the even padding gives when there is room', () => {
    // Wide and flat: the width sets the zoom, so room at the bottom costs nothing.
    const wide = [box(0, 0, 300, 200), box(2400, 1200, 300, 200)];
    expect(placed(wide, 0.15).boxes.some((b) => overlaps(b, MINIMAP))).toBe(true);
    const w = placed(wide, fitPadding(scene(wide)));
    expect(w.boxes.some((b) => overlaps(b, MINIMAP))).toBe(false);
    expect(w.zoom).toBeCloseTo(placed(wide, 0.15).zoom, 6);
    // Taller: the height sets the zoom, so room on the right costs nothing.
    const tall = [box(0, 0, 300, 200), box(850, 800, 300, 200)];
    expect(placed(tall, 0.15).boxes.some((b) => overlaps(b, MINIMAP))).toBe(true);
    const t = placed(tall, fitPadding(scene(tall)));
    expect(t.boxes.some((b) => overlaps(b, MINIMAP))).toBe(false);
    expect(t.zoom).toBeCloseTo(placed(tall, 0.15).zoom, 6);
  });

  // React Flow's zoom buttons (zoom in, zoom out, fit) 15 px from the canvas's bottom-left corner.
  const CONTROLS: Rect = { x: 15, y: 822 - 15 - 82, width: 27, height: 82 };

  it('keeps a lower-left node clear of the zoom buttons, and the lower-right one of the minimap, at once', () => {
    // A graph of the canvas's proportions, with a model at its lower left and the Output at its
    // lower right, fitted with a padding small enough (as on a canvas narrowed by the side panels)
    // that the evenly padded graph reaches the zoom buttons.
    const corners = [box(0, 0, 230, 168), box(700, 300, 300, 640), box(0, 962, 230, 168), box(1330, 898, 300, 232)];
    const even = placed(corners, 0.03).boxes;
    expect(even.some((b) => overlaps(b, CONTROLS))).toBe(true);
    expect(even.some((b) => overlaps(b, MINIMAP))).toBe(true);
    const both = placed(corners, fitPadding(scene(corners, MINIMAP, [CONTROLS], 0.03)));
    for (const b of both.boxes) {
      expect(overlaps(b, CONTROLS)).toBe(false);
      expect(overlaps(b, MINIMAP)).toBe(false);
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y + b.height).toBeLessThanOrEqual(CANVAS.height);
    }
    // Only the zoom buttons in the way (nothing at the lower right).
    const left = [...corners.slice(0, 3), box(1330, 0, 300, 232)];
    expect(placed(left, 0.03).boxes.some((b) => overlaps(b, CONTROLS))).toBe(true);
    const l = placed(left, fitPadding(scene(left, MINIMAP, [CONTROLS], 0.03)));
    expect(l.boxes.some((b) => overlaps(b, CONTROLS) || overlaps(b, MINIMAP))).toBe(false);
    // The best of the ways clear of both: at least as large as fitting the graph above both.
    const aboveBoth = placed(corners, { top: 0.03, left: 0.03, right: 0.03, bottom: `${CANVAS.height - MINIMAP.y + 16}px` });
    expect(aboveBoth.boxes.some((b) => overlaps(b, CONTROLS) || overlaps(b, MINIMAP))).toBe(false);
    expect(both.zoom).toBeGreaterThanOrEqual(aboveBoth.zoom);
  });
});
