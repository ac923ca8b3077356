/** Editing a Layer assembly's rows: reorder, add, remove, sources and parameters; pasted copies follow their inputs' new ids. */
import { describe, expect, it } from 'vitest';
import type { SliceRowData } from '../../../common/graph/layer-assembly-schema.js';
import { renameAssemblyInputs } from '../../../common/graph/layer-assembly.js';
import { addRow, addSource, moveRow, removeRow, removeSource, setRowParam, setSource, setSourceParam } from '../../../renderer/src/state/assembly-rows.js';

const row = (input: string, start: number, end: number): SliceRowData => ({ sources: [{ input, range: [start, end], params: {} }], params: {} });
const ROWS = [row('a', 0, 24), row('b', 8, 32), row('a', 24, 32)];

describe('Layer assembly row edits', () => {
  it('moves a row up or down, clamped at the ends, without touching the others', () => {
    expect(moveRow(ROWS, 1, -1)).toEqual([ROWS[1], ROWS[0], ROWS[2]]);
    expect(moveRow(ROWS, 1, 1)).toEqual([ROWS[0], ROWS[2], ROWS[1]]);
    expect(moveRow(ROWS, 0, -1)).toEqual(ROWS);
    expect(moveRow(ROWS, 2, 1)).toEqual(ROWS);
  });

  it('removes a row', () => {
    expect(removeRow(ROWS, 1)).toEqual([ROWS[0], ROWS[2]]);
  });

  it('a first row takes every layer of the first input (one when unknown); a next row continues the last over as many layers', () => {
    expect(addRow([], 'a', () => 40)).toEqual([row('a', 0, 40)]);
    expect(addRow([], 'a', () => null)).toEqual([row('a', 0, 1)]);
    expect(addRow([], undefined, () => null)).toEqual([row('', 0, 1)]);
    expect(addRow(ROWS, 'a', () => 40).at(-1)).toEqual(row('a', 32, 40));
    const blend: SliceRowData = { sources: [{ input: 'a', range: [0, 4], params: { weight: 2 } }, { input: 'b', range: [2, 6], params: {} }], params: { t: 0.3 } };
    // Parameters are not copied: a new row starts from the node's.
    expect(addRow([blend], 'a', () => null).at(-1)).toEqual({ sources: [{ input: 'a', range: [4, 8], params: {} }, { input: 'b', range: [6, 10], params: {} }], params: {} });
  });

  it('sets, adds (over the first source’s layers) and removes sources', () => {
    expect(setSource(ROWS, 1, 0, { range: [10, 34] })[1]).toEqual(row('b', 10, 34));
    expect(setSource(ROWS, 1, 0, { input: 'c' })[1]).toEqual(row('c', 8, 32));
    const two = addSource(ROWS, 0, 'b');
    expect(two[0].sources).toEqual([
      { input: 'a', range: [0, 24], params: {} },
      { input: 'b', range: [0, 24], params: {} },
    ]);
    expect(removeSource(two, 0, 0)[0].sources).toEqual([{ input: 'b', range: [0, 24], params: {} }]);
    expect(ROWS[0]).toEqual(row('a', 0, 24));
  });

  it('sets and clears row and source parameters', () => {
    const withT = setRowParam(ROWS, 2, 't', [0, 1]);
    expect(withT[2].params).toEqual({ t: [0, 1] });
    expect(setRowParam(withT, 2, 't', undefined)[2].params).toEqual({});
    const weighted = setSourceParam(ROWS, 0, 0, 'weight', 0.5);
    expect(weighted[0].sources[0].params).toEqual({ weight: 0.5 });
    expect(setSourceParam(weighted, 0, 0, 'weight', undefined)[0].sources[0].params).toEqual({});
  });

  it('renames the inputs rows name (a pasted copy follows the pasted models)', () => {
    const data = { kind: 'layerAssembly' as const, method: 'passthrough' as const, params: {}, rows: ROWS };
    const renamed = renameAssemblyInputs(data, (id) => (id === 'a' ? 'a2' : id));
    expect(renamed.rows.map((r) => r.sources[0].input)).toEqual(['a2', 'b', 'a2']);
  });
});
