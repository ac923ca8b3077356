/**
 * Nodes pushed down until none overlaps another, from their measured sizes. An imported recipe is
 * laid out at fixed spacing (recipe-to-project.ts) before anything is measured, and a node grows
 * afterwards: a Model node whose checkpoint is not on this machine shows why, several lines long.
 */
import type { FlowNode } from './flow-types.js';

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Flow pixels between a node pushed down and the one above it. */
export const KEEP_APART_GAP = 20;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The new top of each box that must move. From the top down (left to right on a row), a box that
 * overlaps one placed before it goes below that one, `gap` apart, as often as it takes: a column
 * keeps its order and only what overlaps moves.
 */
export function pushApart(boxes: readonly Box[], gap = KEEP_APART_GAP): Map<string, number> {
  const order = [...boxes].sort((a, b) => a.y - b.y || a.x - b.x);
  const placed: Box[] = [];
  const moved = new Map<string, number>();
  for (const box of order) {
    let at = box;
    for (let hit = placed.filter((p) => overlaps(p, at)); hit.length; hit = placed.filter((p) => overlaps(p, at))) {
      at = { ...at, y: Math.max(...hit.map((p) => p.y + p.height)) + gap };
    }
    if (at.y !== box.y) moved.set(box.id, at.y);
    placed.push(at);
  }
  return moved;
}

/** `nodes` with the measured ones kept apart; the same array when none moves. */
export function keepApart(nodes: FlowNode[]): FlowNode[] {
  const boxes = nodes.flatMap((n) => (n.measured?.width && n.measured.height ? [{ id: n.id, x: n.position.x, y: n.position.y, width: n.measured.width, height: n.measured.height }] : []));
  const moved = pushApart(boxes);
  if (moved.size === 0) return nodes;
  return nodes.map((n) => {
    const y = moved.get(n.id);
    return y === undefined ? n : { ...n, position: { x: n.position.x, y } };
  });
}
