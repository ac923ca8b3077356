/**
 * The inputs of a Layer assembly node as its rows show them: "id\0letter\0label\0layers" strings (a
 * shallow-comparable list for the node's store selector), layers empty while the header is unknown.
 */
import { assemblyInputs } from '../../../common/graph/layer-assembly.js';
import { edgesInto, nodeById, type GraphLike } from '../../../common/graph/graph-like.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import type { HeaderState } from '../../../common/graph/validate-graph.js';

export interface AssemblyInputView {
  id: string;
  letter: string;
  label: string;
  layers: number | null;
}

function layerCount(g: GraphLike, id: string, headers: Readonly<Record<string, HeaderState>>): number | null {
  const n = nodeById(g, id);
  if (n?.data.kind === 'lora') {
    const [e] = edgesInto(g, id, 'base');
    return e ? layerCount(g, e.source, headers) : null;
  }
  if (n?.data.kind !== 'model') return null;
  const h = headers[n.data.path];
  return h?.state === 'ok' ? h.summary.layerCount : null;
}

export function assemblyInputEntries(s: GraphLike & { headers: Readonly<Record<string, HeaderState>> }, id: string): string[] {
  return assemblyInputs(s, id).map((i) => {
    const n = nodeById(s, i.id);
    return [i.id, i.letter, n ? nodeLabel(n.data) : i.id, String(layerCount(s, i.id, s.headers) ?? '')].join('\u0000');
  });
}

export function parseAssemblyInput(entry: string): AssemblyInputView {
  const [id, letter, label, layers] = entry.split('\u0000');
  return { id, letter, label, layers: layers === '' ? null : Number(layers) };
}
