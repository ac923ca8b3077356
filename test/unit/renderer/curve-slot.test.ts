/** The curve editor's slot: which value it edits on a merge node or a Layer assembly, what it inherits, and over how many layers a gradient runs. */
import { describe, expect, it } from 'vitest';
import type { NodeData } from '../../../common/graph/project-schema.js';
import { curveSlot } from '../../../renderer/src/state/curve-slot.js';

const assembly: NodeData = {
  kind: 'layerAssembly',
  method: 'linear',
  params: { weight: 1 },
  rows: [
    { sources: [{ input: 'a', range: [0, 4], params: {} }, { input: 'b', range: [2, 6], params: { weight: [0, 1] } }], params: { weight: 2 } },
    { sources: [{ input: 'a', range: [4, 12], params: {} }], params: {} },
  ],
};

describe('curve editor slots', () => {
  it('a merge node: the global value, or a model’s own over the global', () => {
    const merge: NodeData = { kind: 'merge', method: 'ties', params: { density: 0.5 }, modelParams: { x: { density: [0, 1] } } };
    const g = curveSlot(merge, { mergeId: 'm', param: 'density', sourceId: null })!;
    expect([g.own, g.inherited, g.gradientLayers]).toEqual([0.5, undefined, null]);
    expect(g.write([1, 0])).toEqual({ params: { density: [1, 0] } });
    const x = curveSlot(merge, { mergeId: 'm', param: 'density', sourceId: 'x' })!;
    expect([x.own, x.inherited]).toEqual([[0, 1], 0.5]);
    expect(x.write(undefined)).toEqual({ modelParams: { x: {} } });
  });

  it('a Layer assembly: every row (over the longest row), a row (over its layers, inheriting the node’s), a source (inheriting its row’s)', () => {
    const all = curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null })!;
    expect([all.own, all.inherited, all.owner, all.gradientLayers]).toEqual([1, undefined, null, 8]);
    const row = curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null, row: 0 })!;
    expect([row.own, row.inherited, row.owner, row.gradientLayers]).toEqual([2, 1, 'row 1', 4]);
    const src = curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null, row: 0, source: 1 })!;
    expect([src.own, src.inherited, src.owner, src.gradientLayers]).toEqual([[0, 1], 2, 'row 1 source 2', 4]);
    const second = curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null, row: 1, source: 0 })!;
    expect([second.own, second.inherited]).toEqual([undefined, 1]);
    const written = src.write([0.5, 1]) as { rows: typeof assembly.rows };
    expect(written.rows[0].sources[1].params).toEqual({ weight: [0.5, 1] });
    expect(written.rows[1]).toBe(assembly.rows[1]);
    expect(curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null, row: 5 })).toBeNull();
  });

  it('names the level an inherited value is set on, as the fields show it: all models, every row, or the row', () => {
    const merge: NodeData = { kind: 'merge', method: 'ties', params: { density: 0.5 }, modelParams: {} };
    expect(curveSlot(merge, { mergeId: 'm', param: 'density', sourceId: 'x' })!.inheritedFrom).toBe('all models');
    expect(curveSlot(merge, { mergeId: 'm', param: 'weight', sourceId: 'x' })!.inheritedFrom).toBeNull();
    expect(curveSlot(merge, { mergeId: 'm', param: 'density', sourceId: null })!.inheritedFrom).toBeNull();
    const at = (row?: number, source?: number) => curveSlot(assembly, { mergeId: 'n', param: 'weight', sourceId: null, row, source })!;
    expect(at().inheritedFrom).toBeNull();
    expect(at(0).inheritedFrom).toBe('every row');
    // Row 1 sets 2: its sources inherit it; row 2 sets none: its source inherits the node's 1.
    expect([at(0, 0).inherited, at(0, 0).inheritedFrom]).toEqual([2, 'row 1']);
    expect([at(1, 0).inherited, at(1, 0).inheritedFrom]).toEqual([1, 'every row']);
    const bare = curveSlot({ ...assembly, params: {} }, { mergeId: 'n', param: 'weight', sourceId: null, row: 1, source: 0 })!;
    expect([bare.inherited, bare.inheritedFrom]).toEqual([undefined, null]);
  });
});
