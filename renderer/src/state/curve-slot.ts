/**
 * Where the curve editor reads and writes a parameter: a merge node's global or per-model value, or
 * a Layer assembly's value for every row, one row, or one source of a row. `inherited` is what
 * applies where the slot has no value of its own (the next level up); the node's parameter fields
 * show it too.
 */
import type { ParamSpec } from '../../../common/methods/types.js';
import type { NodeData } from '../../../common/graph/project-schema.js';
import { outputLayerCount, rowLength } from '../../../common/graph/layer-assembly.js';
import { setRowParam, setSourceParam, withParam } from './assembly-rows.js';

export interface CurveTarget {
  mergeId: string;
  param: string;
  /** Merge node: the model input whose own value is edited (null: the global value). */
  sourceId: string | null;
  /** Layer assembly: the row (absent: the value for every row) and the source within it (absent: the row's value). */
  row?: number;
  source?: number;
}

export interface CurveSlot {
  own: ParamSpec | undefined;
  inherited: ParamSpec | undefined;
  /** The level `inherited` is set on, as the fields name it: 'all models', 'every row', 'row 2'; null when nothing is inherited. */
  inheritedFrom: string | null;
  /** "row 2", "row 2 source 1" (Layer assembly), null otherwise. */
  owner: string | null;
  /** Layers a gradient runs over (Layer assembly: the row's, or the longest row's for every row); null: the models' layer map. */
  gradientLayers: number | null;
  /** The node data after writing `spec` (undefined clears the slot). */
  write(spec: ParamSpec | undefined): Partial<NodeData>;
}

export function curveSlot(data: NodeData, t: CurveTarget): CurveSlot | null {
  const name = t.param;
  if (data.kind === 'merge') {
    const sourceId = t.sourceId;
    return {
      own: sourceId ? data.modelParams[sourceId]?.[name] : data.params[name],
      inherited: sourceId ? data.params[name] : undefined,
      inheritedFrom: sourceId && data.params[name] !== undefined ? 'all models' : null,
      owner: null,
      gradientLayers: null,
      write: (spec) =>
        sourceId ? { modelParams: { ...data.modelParams, [sourceId]: withParam(data.modelParams[sourceId] ?? {}, name, spec) } } : { params: withParam(data.params, name, spec) },
    };
  }
  if (data.kind !== 'layerAssembly') return null;
  if (t.row === undefined) {
    const longest = data.rows.reduce((n, r) => Math.max(n, rowLength(r)), 0);
    return { own: data.params[name], inherited: undefined, inheritedFrom: null, owner: null, gradientLayers: outputLayerCount(data.rows) > 0 ? longest : 1, write: (spec) => ({ params: withParam(data.params, name, spec) }) };
  }
  const i = t.row;
  const row = data.rows[i];
  if (!row) return null;
  const layers = Math.max(1, rowLength(row));
  if (t.source === undefined) {
    const fromNode = data.params[name] === undefined ? null : 'every row';
    return { own: row.params[name], inherited: data.params[name], inheritedFrom: fromNode, owner: `row ${i + 1}`, gradientLayers: layers, write: (spec) => ({ rows: setRowParam(data.rows, i, name, spec) }) };
  }
  const k = t.source;
  const src = row.sources[k];
  if (!src) return null;
  return {
    own: src.params[name],
    inherited: row.params[name] ?? data.params[name],
    inheritedFrom: row.params[name] !== undefined ? `row ${i + 1}` : data.params[name] !== undefined ? 'every row' : null,
    owner: `row ${i + 1} source ${k + 1}`,
    gradientLayers: layers,
    write: (spec) => ({ rows: setSourceParam(data.rows, i, k, name, spec) }),
  };
}
