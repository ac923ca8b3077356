/**
 * An imported recipe's nodes are placed at fixed spacing before they are measured; a node that
 * grows (a Model node saying why its checkpoint is missing) pushes the ones it overlaps down, until
 * the user moves a node. A project opened from a file keeps its positions.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { NodeChange } from '@xyflow/react';
import type { Project } from '../../../common/graph/project-schema.js';
import { useEditor } from '../../../renderer/src/state/editor-store.js';
import type { FlowNode } from '../../../renderer/src/state/flow-types.js';
import { pushApart } from '../../../renderer/src/state/keep-apart.js';

const box = (id: string, x: number, y: number, width: number, height: number) => ({ id, x, y, width, height });

describe('pushApart', () => {
  it('moves nothing when no box overlaps another, side by side or one above the other', () => {
    expect(pushApart([box('a', 0, 0, 200, 100), box('b', 0, 120, 200, 100), box('c', 200, 0, 200, 300)], 20).size).toBe(0);
  });

  it('pushes each overlapping box of a column below the one above it, in order, the gap apart', () => {
    // Laid out 180 apart, each 250 tall once measured.
    const column = [box('m1', 0, 0, 230, 250), box('m2', 0, 180, 230, 250), box('m3', 0, 360, 230, 250), box('m4', 0, 540, 260, 250)];
    expect([...pushApart(column, 20)]).toEqual([
      ['m2', 270],
      ['m3', 540],
      ['m4', 810],
    ]);
  });

  it('leaves a box in another column where it is, and pushes one a moved box now overlaps', () => {
    const boxes = [box('a', 0, 0, 200, 300), box('side', 400, 100, 200, 500), box('b', 0, 200, 200, 100), box('c', 0, 330, 200, 100)];
    // b goes below a (320); c, clear of b where it was, now overlaps it and goes below it (440).
    expect(Object.fromEntries(pushApart(boxes, 20))).toEqual({ b: 320, c: 440 });
  });
});

// A recipe as the import lays it out: four Model nodes 180 apart, a merge and an Output to their right.
const LAID_OUT: Project = {
  format: 'crucible-project',
  version: 2,
  name: 'imported',
  nodes: [
    ...[0, 1, 2, 3].map((i) => ({ id: `model-${i + 1}`, position: { x: 0, y: i * 180 }, data: { kind: 'model' as const, path: `org/model-${i + 1}` } })),
    { id: 'merge-1', position: { x: 380, y: 270 }, data: { kind: 'merge', method: 'linear', params: {}, modelParams: {} } },
    { id: 'output-1', position: { x: 760, y: 270 }, data: { kind: 'output', folder: 'out', dtype: 'auto', shardSize: 1 << 30, seed: 0, overwrite: false } },
  ],
  edges: [],
};

const ed = () => useEditor.getState();
const y = (id: string) => ed().nodes.find((n) => n.id === id)!.position.y;
const measured = (id: string, width: number, height: number): NodeChange<FlowNode> => ({ id, type: 'dimensions', dimensions: { width, height } });
/** React Flow measuring every node: Model nodes 230 × 210 (one with its error), the merge 300 × 600. */
const measureAll = () =>
  ed().onNodesChange([...[1, 2, 3, 4].map((i) => measured(`model-${i}`, 230, 210)), measured('merge-1', 300, 600), measured('output-1', 300, 230)]);

describe('the layout of an imported recipe', () => {
  beforeEach(() => ed().loadProject(LAID_OUT, null, { dirty: true, laidOut: true }));

  it('keeps grown Model nodes apart, leaving the merge and the Output where they are, and counts the move', () => {
    const moves = ed().autoLayoutMoves;
    measureAll();
    expect([1, 2, 3, 4].map((i) => y(`model-${i}`))).toEqual([0, 230, 460, 690]);
    expect([y('merge-1'), y('output-1')]).toEqual([270, 270]);
    expect(ed().autoLayoutMoves).toBe(moves + 1);
  });

  it('stops once the user moves a node', () => {
    ed().beginDrag();
    ed().onNodesChange([{ id: 'output-1', type: 'position', position: { x: 800, y: 300 }, dragging: false }]);
    measureAll();
    expect([1, 2, 3, 4].map((i) => y(`model-${i}`))).toEqual([0, 180, 360, 540]);
  });

  it('does not apply to a project opened from a file: its positions are the user’s', () => {
    ed().loadProject(LAID_OUT, '/p/mine.crucible.json');
    measureAll();
    expect([1, 2, 3, 4].map((i) => y(`model-${i}`))).toEqual([0, 180, 360, 540]);
  });
});
