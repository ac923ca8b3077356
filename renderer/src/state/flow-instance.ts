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

/** Where to drop a new node: the middle of the visible canvas, nudged so new nodes do not stack exactly. */
export function viewCenter(step: number): { x: number; y: number } {
  const el = document.querySelector('.react-flow');
  if (!instance || !el) return { x: 100 + step * 30, y: 100 + step * 30 };
  const r = el.getBoundingClientRect();
  const p = instance.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 3 });
  return { x: p.x - 120 + (step % 6) * 30, y: p.y + (step % 6) * 30 };
}
