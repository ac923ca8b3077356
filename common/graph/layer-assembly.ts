/**
 * What a Layer assembly node's rows mean for the output, in words and numbers: the inputs the rows
 * may name (with the letter each is shown by), the output layers each row fills, and the text
 * "out 0–23 ← A 0–24" shown on the row (output layers inclusive; source ranges as mergekit's
 * half-open `layer_range`).
 */
import { edgesInto, type GraphLike } from './graph-like.js';
import type { LayerAssemblyNodeData, SliceRowData } from './layer-assembly-schema.js';

export interface AssemblyInput {
  /** Id of the node feeding the assembly. */
  id: string;
  /** 'A', 'B', … in handle order: base first, then models in edge order. */
  letter: string;
  handle: 'base' | 'models';
}

export function letterOf(index: number): string {
  let n = index;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** The nodes wired into the assembly (each once), lettered in order: base first, then models. */
export function assemblyInputs(g: GraphLike, nodeId: string): AssemblyInput[] {
  const out: AssemblyInput[] = [];
  for (const handle of ['base', 'models'] as const) {
    for (const e of edgesInto(g, nodeId, handle)) {
      if (out.some((i) => i.id === e.source)) continue;
      out.push({ id: e.source, letter: letterOf(out.length), handle });
    }
  }
  return out;
}

/** Layers in a row: its first source's range length (every source of a valid row has as many). */
export function rowLength(row: SliceRowData): number {
  const first = row.sources[0];
  return first ? Math.max(0, first.range[1] - first.range[0]) : 0;
}

export interface RowPlacement {
  /** [start, end): the output layers this row fills. */
  out: [number, number];
}

/** Where each row lands in the output stack: rows stacked in order. */
export function rowPlacements(rows: readonly SliceRowData[]): RowPlacement[] {
  let at = 0;
  return rows.map((row) => {
    const n = rowLength(row);
    const placed: RowPlacement = { out: [at, at + n] };
    at += n;
    return placed;
  });
}

/** Number of layers of the assembled model. */
export function outputLayerCount(rows: readonly SliceRowData[]): number {
  return rows.reduce((n, r) => n + rowLength(r), 0);
}

function span(start: number, endExclusive: number): string {
  if (endExclusive <= start) return 'none';
  return endExclusive - start === 1 ? `${start}` : `${start}–${endExclusive - 1}`;
}

/** "out 0–23 ← A 0–24" (sources joined by " + "); '?' stands for a source whose input is not wired. */
export function rowText(row: SliceRowData, placement: RowPlacement, letters: ReadonlyMap<string, string>): string {
  const sources = row.sources.map((s) => `${letters.get(s.input) ?? '?'} ${s.range[0]}–${s.range[1]}`).join(' + ');
  return `out ${span(placement.out[0], placement.out[1])} ← ${sources || 'nothing'}`;
}

/** The node's data with its sources' input ids renamed (copy and paste give nodes new ids). */
export function renameAssemblyInputs(data: LayerAssemblyNodeData, rename: (id: string) => string): LayerAssemblyNodeData {
  return { ...data, rows: data.rows.map((r) => ({ ...r, sources: r.sources.map((s) => ({ ...s, input: rename(s.input) })) })) };
}
