/** The React Flow instance (fit, zoom, viewport), set when the canvas mounts. */
import type { ReactFlowInstance } from '@xyflow/react';
import type { FlowEdge, FlowNode } from './flow-types.js';

let instance: ReactFlowInstance<FlowNode, FlowEdge> | null = null;

export function setFlowInstance(i: ReactFlowInstance<FlowNode, FlowEdge>): void {
  instance = i;
}

export function flowInstance(): ReactFlowInstance<FlowNode, FlowEdge> | null {
  return instance;
}

const DEFAULT_W = 260;
const DEFAULT_H = 220;

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The first spot from `start` (scanning down, then right) where a new node overlaps none of `nodes`. */
export function freeSpot(nodes: readonly FlowNode[], start: { x: number; y: number }): { x: number; y: number } {
  const rects = nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? DEFAULT_W, h: n.measured?.height ?? DEFAULT_H }));
  for (let col = 0; col < 20; col++) {
    for (let row = 0; row < 12; row++) {
      const c = { x: start.x + col * (DEFAULT_W + 40), y: start.y + row * 60, w: DEFAULT_W, h: DEFAULT_H };
      if (!rects.some((r) => overlaps(r, { x: c.x - 10, y: c.y - 10, w: c.w + 20, h: c.h + 20 }))) return { x: c.x, y: c.y };
    }
  }
  return start;
}

/** Where to drop a new node: near the top left of the visible canvas, where it overlaps no other node. */
export function viewCenter(step: number, nodes: readonly FlowNode[] = []): { x: number; y: number } {
  const el = document.querySelector('.react-flow');
  if (!instance || !el) return freeSpot(nodes, { x: 100 + step * 30, y: 100 });
  const r = el.getBoundingClientRect();
  const p = instance.screenToFlowPosition({ x: r.left + 40, y: r.top + 40 });
  return freeSpot(nodes, { x: Math.round(p.x), y: Math.round(p.y) });
}
