/**
 * The inputs of a Layer assembly node as its rows show them: "id\0letter\0label\0layers" strings (a
 * shallow-comparable list for the node's store selector), layers empty while unknown (a header not
 * read yet); an earlier merge or assembly feeding it gives its layer count too.
 */
import { assemblyInputs } from '../../../common/graph/layer-assembly.js';
import { nodeById, type GraphLike } from '../../../common/graph/graph-like.js';
import { inputLayerCount } from '../../../common/graph/input-layers.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import type { HeaderState } from '../../../common/graph/validate-graph.js';

export interface AssemblyInputView {
  id: string;
  letter: string;
  label: string;
  layers: number | null;
}

export function assemblyInputEntries(s: GraphLike & { headers: Readonly<Record<string, HeaderState>> }, id: string): string[] {
  return assemblyInputs(s, id).map((i) => {
    const n = nodeById(s, i.id);
    return [i.id, i.letter, n ? nodeLabel(n.data) : i.id, String(inputLayerCount(s, i.id, (p) => s.headers[p]) ?? '')].join('\u0000');
  });
}

export function parseAssemblyInput(entry: string): AssemblyInputView {
  const [id, letter, label, layers] = entry.split('\u0000');
  return { id, letter, label, layers: layers === '' ? null : Number(layers) };
}
