/**
 * View → Fit and the fit when a project opens: the whole graph in view, with its nodes clear of
 * the minimap when it is showing (fit-padding.ts).
 */
import type { Rect } from '@xyflow/react';
import { flowInstance } from './flow-instance.js';
import { fitPadding } from './fit-padding.js';

/** The canvas's zoom limits (Canvas.tsx gives them to React Flow; the fit computes with them). */
export const ZOOM_LIMITS = { min: 0.1, max: 2 } as const;

/** The minimap's box in canvas pixels, or null when it is not showing. */
function minimapBox(canvas: Element): Rect | null {
  const minimap = canvas.querySelector('.react-flow__minimap');
  if (!minimap) return null;
  const c = canvas.getBoundingClientRect();
  const m = minimap.getBoundingClientRect();
  return { x: m.left - c.left, y: m.top - c.top, width: m.width, height: m.height };
}

export function fitGraph({ padding, duration }: { padding: number; duration: number }): void {
  const instance = flowInstance();
  const canvas = document.querySelector('.react-flow');
  if (!instance || !canvas) return;
  const nodes = instance.getNodes().map((n) => ({ x: n.position.x, y: n.position.y, width: n.measured?.width ?? 0, height: n.measured?.height ?? 0 }));
  const { width, height } = canvas.getBoundingClientRect();
  const scene = { nodes, canvas: { width, height }, cover: minimapBox(canvas), padding, zoom: ZOOM_LIMITS };
  void instance.fitView({ padding: fitPadding(scene), duration, minZoom: ZOOM_LIMITS.min, maxZoom: ZOOM_LIMITS.max });
}
