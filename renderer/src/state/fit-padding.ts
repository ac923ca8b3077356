/**
 * The padding of a fit that leaves the nodes clear of the boxes drawn over the canvas (the minimap
 * in its bottom-right corner, the zoom buttons in its bottom-left). React Flow's fit centres the
 * graph with even padding: a box then covers the node at that corner and takes its clicks. When
 * one would, the graph is fitted beside each box or above it, whichever choice shows it largest.
 */
import { getViewportForBounds, type FitViewOptions, type Rect, type Viewport } from '@xyflow/react';

/** React Flow's padding: a fraction of the canvas, pixels ('40px'), or one per side. */
export type Padding = NonNullable<FitViewOptions['padding']>;

export interface FitScene {
  /** The nodes' boxes, in flow coordinates. */
  nodes: readonly Rect[];
  /** The canvas's size in pixels. */
  canvas: { width: number; height: number };
  /** The boxes to keep clear, in canvas pixels (from the canvas's top left): those showing. */
  covers: readonly Rect[];
  /** The fit's even padding, as React Flow takes it (a fraction of the canvas). */
  padding: number;
  zoom: { min: number; max: number };
}

/** Pixels kept between the nodes and a cover. */
export const COVER_GAP = 16;

function boundsOf(rects: readonly Rect[]): Rect {
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** Where a node's box lands on the canvas under `v`. */
export function onCanvas(r: Rect, v: Viewport): Rect {
  return { x: r.x * v.zoom + v.x, y: r.y * v.zoom + v.y, width: r.width * v.zoom, height: r.height * v.zoom };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The viewport React Flow's fit gives with `padding` (its own function, so both agree). */
export function fittedViewport(scene: FitScene, padding: Padding): Viewport {
  return getViewportForBounds(boundsOf(scene.nodes), scene.canvas.width, scene.canvas.height, scene.zoom.min, scene.zoom.max, padding);
}

function clearOfCovers(scene: FitScene, padding: Padding): boolean {
  if (scene.covers.length === 0) return true;
  const v = fittedViewport(scene, padding);
  return !scene.nodes.some((n) => scene.covers.some((c) => intersects(onCanvas(n, v), c)));
}

type Side = 'top' | 'right' | 'bottom' | 'left';
/** One side's padding: a fraction of the canvas, or pixels. */
type SidePadding = number | `${number}px`;

/** Pixels on one side that keep the graph beside a cover (on the side of the canvas it is on), or above or below it. */
function clearance(cover: Rect, canvas: FitScene['canvas'], way: 'beside' | 'across'): { side: Side; px: number } {
  if (way === 'beside') {
    return cover.x + cover.width / 2 > canvas.width / 2 ? { side: 'right', px: canvas.width - cover.x + COVER_GAP } : { side: 'left', px: cover.x + cover.width + COVER_GAP };
  }
  return cover.y + cover.height / 2 > canvas.height / 2 ? { side: 'bottom', px: canvas.height - cover.y + COVER_GAP } : { side: 'top', px: cover.y + cover.height + COVER_GAP };
}

/**
 * The padding to fit `scene` with: the even padding when no node lands under a cover; else, for
 * each cover, room beside it (the graph ends short of it) or across its edge (the graph ends above
 * it), the choice that leaves the larger zoom with every node clear (beside first on a tie). Each
 * side keeps at least the even padding.
 */
export function fitPadding(scene: FitScene): Padding {
  const { covers, canvas, padding } = scene;
  if (covers.length === 0 || scene.nodes.length === 0 || clearOfCovers(scene, padding)) return padding;
  // React Flow's pixels for a fraction of a side (parsePadding in @xyflow/system).
  const even = (side: Side): number => {
    const length = side === 'left' || side === 'right' ? canvas.width : canvas.height;
    return (length - length / (1 + padding)) / 2;
  };
  let best: { padding: Padding; zoom: number; clear: boolean } | undefined;
  for (let choice = 0; choice < 1 << covers.length; choice++) {
    const px: Partial<Record<Side, number>> = {};
    covers.forEach((c, i) => {
      const { side, px: need } = clearance(c, canvas, (choice >> i) & 1 ? 'across' : 'beside');
      px[side] = Math.max(px[side] ?? even(side), need);
    });
    const sided = (side: Side): SidePadding => (px[side] === undefined ? padding : `${px[side]!}px`);
    const candidate: Padding = { top: sided('top'), right: sided('right'), bottom: sided('bottom'), left: sided('left') };
    const zoom = fittedViewport(scene, candidate).zoom;
    const clear = clearOfCovers(scene, candidate);
    if (!best || (clear && !best.clear) || (clear === best.clear && zoom > best.zoom)) best = { padding: candidate, zoom, clear };
  }
  return best!.padding;
}
