/** Edits of a Layer assembly node's rows, as pure functions of the rows (the node applies them through updateData). */
import type { ParamSpec, ParamSpecMap } from '../../../common/methods/types.js';
import type { SliceRowData, SliceSourceData } from '../../../common/graph/layer-assembly-schema.js';

type Rows = readonly SliceRowData[];

function withParam(params: ParamSpecMap, name: string, value: ParamSpec | undefined): ParamSpecMap {
  const next = { ...params };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/** Row `i` moved by `delta` places (clamped to the list). */
export function moveRow(rows: Rows, i: number, delta: number): SliceRowData[] {
  const j = Math.min(rows.length - 1, Math.max(0, i + delta));
  const next = [...rows];
  if (i === j || i < 0 || i >= rows.length) return next;
  const [row] = next.splice(i, 1);
  next.splice(j, 0, row);
  return next;
}

export function removeRow(rows: Rows, i: number): SliceRowData[] {
  return rows.filter((_, k) => k !== i);
}

/**
 * A new last row: the last row's sources taking the next layers of their models (as many as it
 * took), or, for the first row, every layer of the first input (one layer when its count is unknown).
 */
export function addRow(rows: Rows, firstInput: string | undefined, layerCount: (input: string) => number | null): SliceRowData[] {
  const last = rows[rows.length - 1];
  if (!last || last.sources.length === 0) {
    const input = firstInput ?? '';
    return [...rows, { sources: [{ input, range: [0, (input && layerCount(input)) || 1], params: {} }], params: {} }];
  }
  const sources = last.sources.map((s): SliceSourceData => {
    const n = Math.max(1, s.range[1] - s.range[0]);
    return { input: s.input, range: [s.range[1], s.range[1] + n], params: {} };
  });
  return [...rows, { sources, params: {} }];
}

export function setSource(rows: Rows, i: number, k: number, patch: Partial<Pick<SliceSourceData, 'input' | 'range'>>): SliceRowData[] {
  return rows.map((r, ri) => (ri !== i ? r : { ...r, sources: r.sources.map((s, si) => (si !== k ? s : { ...s, ...patch })) }));
}

/** Another source for row `i`, over the same layers as its first (the rows of a blend have as many layers each). */
export function addSource(rows: Rows, i: number, input: string): SliceRowData[] {
  return rows.map((r, ri) => {
    if (ri !== i) return r;
    const first = r.sources[0];
    const range: [number, number] = first ? [first.range[0], first.range[1]] : [0, 1];
    return { ...r, sources: [...r.sources, { input, range, params: {} }] };
  });
}

export function removeSource(rows: Rows, i: number, k: number): SliceRowData[] {
  return rows.map((r, ri) => (ri !== i ? r : { ...r, sources: r.sources.filter((_, si) => si !== k) }));
}

export function setRowParam(rows: Rows, i: number, name: string, value: ParamSpec | undefined): SliceRowData[] {
  return rows.map((r, ri) => (ri !== i ? r : { ...r, params: withParam(r.params, name, value) }));
}

export function setSourceParam(rows: Rows, i: number, k: number, name: string, value: ParamSpec | undefined): SliceRowData[] {
  return rows.map((r, ri) => (ri !== i ? r : { ...r, sources: r.sources.map((s, si) => (si !== k ? s : { ...s, params: withParam(s.params, name, value) })) }));
}

export { withParam };
