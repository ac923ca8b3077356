/**
 * Fit leaves the nodes clear of the minimap: the even padding when nothing lands under it, else
 * room beside or above it, whichever keeps the graph larger. The viewports are React Flow's own
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

function scene(nodes: Rect[], cover: Rect | null = MINIMAP): FitScene {
  return { nodes, canvas: CANVAS, cover, padding: 0.15, zoom: ZOOM };
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
});
