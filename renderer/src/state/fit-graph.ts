/**
 * View → Fit and the fit when a project opens: the whole graph in view, with its nodes clear of
 * the minimap when it is showing and of the zoom buttons (fit-padding.ts).
 */
import type { Rect } from '@xyflow/react';
import { flowInstance } from './flow-instance.js';
import { fitPadding } from './fit-padding.js';

/** The canvas's zoom limits (Canvas.tsx gives them to React Flow; the fit computes with them). */
export const ZOOM_LIMITS = { min: 0.1, max: 2 } as const;

/** The boxes drawn over the canvas and showing (the minimap, the zoom buttons), in canvas pixels. */
function coverBoxes(canvas: Element): Rect[] {
  const c = canvas.getBoundingClientRect();
  return ['.react-flow__minimap', '.react-flow__controls'].flatMap((selector) => {
    const box = canvas.querySelector(selector)?.getBoundingClientRect();
    return box && box.width > 0 && box.height > 0 ? [{ x: box.left - c.left, y: box.top - c.top, width: box.width, height: box.height }] : [];
  });
}

export function fitGraph({ padding, duration }: { padding: number; duration: number }): void {
  const instance = flowInstance();
  const canvas = document.querySelector('.react-flow');
  if (!instance || !canvas) return;
  const nodes = instance.getNodes().map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? 0, height: n.measured?.height ?? 0 }));
  const { width, height } = canvas.getBoundingClientRect();
  const scene = { nodes, canvas: { width, height }, covers: coverBoxes(canvas), padding, zoom: ZOOM_LIMITS };
  void instance.fitView({ padding: fitPadding(scene), duration, minZoom: ZOOM_LIMITS.min, maxZoom: ZOOM_LIMITS.max });
}
