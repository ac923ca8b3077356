/**
 * The padding of a fit that leaves the nodes clear of a box drawn over the canvas (the minimap in
 * its bottom-right corner). React Flow's fit centres the graph with even padding: the minimap then
 * covers the lower-right node and takes its clicks. When it would, the graph is fitted beside the
 * minimap or above it, whichever shows it larger.
 */
import { getViewportForBounds, type FitViewOptions, type Rect, type Viewport } from '@xyflow/react';

/** React Flow's padding: a fraction of the canvas, pixels ('40px'), or one per side. */
export type Padding = NonNullable<FitViewOptions['padding']>;

export interface FitScene {
  /** The nodes' boxes, in flow coordinates. */
  nodes: readonly Rect[];
  /** The canvas's size in pixels. */
  canvas: { width: number; height: number };
  /** The box to keep clear, in canvas pixels (from the canvas's top left); null when none is shown. */
  cover: Rect | null;
  /** The fit's even padding, as React Flow takes it (a fraction of the canvas). */
  padding: number;
  zoom: { min: number; max: number };
}

/** Pixels kept between the nodes and the cover. */
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

function clearOfCover(scene: FitScene, padding: Padding): boolean {
  const cover = scene.cover;
  if (!cover) return true;
  const v = fittedViewport(scene, padding);
  return !scene.nodes.some((n) => intersects(onCanvas(n, v), cover));
}

/**
 * The padding to fit `scene` with: the even padding when no node lands under the cover; else more
 * on the right (the graph ends left of the cover) or at the bottom (above it), whichever leaves the
 * larger zoom. Each side keeps at least the even padding.
 */
export function fitPadding(scene: FitScene): Padding {
  const { cover, canvas, padding } = scene;
  if (!cover || scene.nodes.length === 0 || clearOfCover(scene, padding)) return padding;
  // React Flow's pixels for a fraction of a side (parsePadding in @xyflow/system).
  const even = (side: number): number => (side - side / (1 + padding)) / 2;
  const right = Math.max(even(canvas.width), canvas.width - cover.x + COVER_GAP);
  const bottom = Math.max(even(canvas.height), canvas.height - cover.y + COVER_GAP);
  const beside: Padding = { top: padding, bottom: padding, left: padding, right: `${right}px` };
  const above: Padding = { top: padding, left: padding, right: padding, bottom: `${bottom}px` };
  return fittedViewport(scene, beside).zoom >= fittedViewport(scene, above).zoom ? beside : above;
}
