/** The React Flow instance (fit, zoom, viewport), set when the canvas mounts. */
import type { ReactFlowInstance } from '@xyflow/react';
import type { NodeKind } from '../../../common/graph/project-schema.js';
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

export interface Size {
  w: number;
  h: number;
}

interface Rect extends Size {
  x: number;
  y: number;
}

/**
 * A new node's size before React Flow has measured it, a little over what each kind measures when
 * added from the palette (flow pixels, in Chromium): a Layer assembly is 440 wide, a TIES node
 * without models 300 × 460, a Fisher node 300 × 379. Too small an estimate puts the new node over
 * its neighbours once it is drawn.
 */
const ESTIMATED_SIZE: Record<NodeKind, Size> = {
  model: { w: 240, h: 180 },
  taskVector: { w: 240, h: 160 },
  scale: { w: 240, h: 160 },
  add: { w: 240, h: 160 },
  merge: { w: 300, h: 470 },
  layerAssembly: { w: 450, h: 380 },
  align: { w: 240, h: 250 },
  fisher: { w: 300, h: 390 },
  lora: { w: 300, h: 170 },
  output: { w: 300, h: 270 },
};

export function estimatedSize(kind: NodeKind): Size {
  return ESTIMATED_SIZE[kind] ?? { w: DEFAULT_W, h: DEFAULT_H };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function inside(a: Rect, area: Rect): boolean {
  return a.x >= area.x && a.y >= area.y && a.x + a.w <= area.x + area.w && a.y + a.h <= area.y + area.h;
}

/**
 * The first spot from `start` (scanning down, then right) where a node of `size` overlaps none of
 * `nodes` with a 10 px margin. With an `area` (the visible canvas), spots wholly inside it come
 * first; when none is free there, the first free spot anywhere.
 */
export function freeSpot(nodes: readonly FlowNode[], start: { x: number; y: number }, size: Size = { w: DEFAULT_W, h: DEFAULT_H }, area?: Rect): { x: number; y: number } {
  const rects = nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? DEFAULT_W, h: n.measured?.height ?? DEFAULT_H }));
  const free = (c: Rect) => !rects.some((r) => overlaps(r, { x: c.x - 10, y: c.y - 10, w: c.w + 20, h: c.h + 20 }));
  const candidates = function* (): Generator<Rect> {
    for (let col = 0; col < 20; col++) {
      for (let row = 0; row < 24; row++) yield { x: start.x + col * (size.w + 40), y: start.y + row * 40, ...size };
    }
  };
  if (area) {
    for (const c of candidates()) if (inside(c, area) && free(c)) return { x: c.x, y: c.y };
  }
  for (const c of candidates()) if (free(c)) return { x: c.x, y: c.y };
  return start;
}

/** The visible part of the canvas in flow coordinates, or null before the canvas mounts. */
function visibleArea(): Rect | null {
  const el = document.querySelector('.react-flow');
  if (!instance || !el) return null;
  const r = el.getBoundingClientRect();
  const a = instance.screenToFlowPosition({ x: r.left, y: r.top });
  const b = instance.screenToFlowPosition({ x: r.right, y: r.bottom });
  return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
}

/** Where to drop a new node of `kind`: near the top left of the visible canvas, where it overlaps no other node. */
export function newNodeSpot(step: number, nodes: readonly FlowNode[] = [], kind: NodeKind = 'model'): { x: number; y: number } {
  const size = estimatedSize(kind);
  const area = visibleArea();
  if (!area) return freeSpot(nodes, { x: 100 + step * 30, y: 100 }, size);
  const margin = 40 / Math.max(instance?.getZoom() ?? 1, 0.1);
  const inner = { x: area.x + margin, y: area.y + margin, w: area.w - 2 * margin, h: area.h - 2 * margin };
  return freeSpot(nodes, { x: Math.round(inner.x), y: Math.round(inner.y) }, size, inner);
}

/** Pans (at the same zoom) so that a node just placed at `position` is in view, when it is not. */
export function reveal(position: { x: number; y: number }, kind: NodeKind): void {
  const area = visibleArea();
  if (!instance || !area) return;
  const size = estimatedSize(kind);
  const top = { x: position.x, y: position.y, w: Math.min(size.w, area.w), h: Math.min(size.h, area.h) };
  if (inside(top, area)) return;
  void instance.setCenter(position.x + size.w / 2, position.y + Math.min(size.h, area.h) / 2, { zoom: instance.getZoom(), duration: 200 });
}
