/**
 * How many layers a node feeding a Layer assembly gives, when known: a Model's header count, a
 * LoRA node's base's (an adapter keeps the layers), an earlier assembly's stacked rows, and an
 * earlier merge's: its merged base's, else its first model's (a merge keeps its inputs' layers; a
 * base the method does not merge only donates config and tokenizer, recipe/base-model.ts).
 */
import { edgesInto, nodeById, type GraphLike } from './graph-like.js';
import { outputLayerCount } from './layer-assembly.js';
import { mergesBase } from '../recipe/base-model.js';
import type { HeaderLookup } from './validate-graph.js';

export function inputLayerCount(g: GraphLike, id: string, headers: HeaderLookup, seen: ReadonlySet<string> = new Set()): number | null {
  if (seen.has(id)) return null; // a cycle: refused elsewhere
  const n = nodeById(g, id);
  if (!n) return null;
  const next = new Set(seen).add(id);
  switch (n.data.kind) {
    case 'model': {
      const h = headers(n.data.path);
      return h?.state === 'ok' ? h.summary.layerCount : null;
    }
    case 'lora': {
      const [e] = edgesInto(g, id, 'base');
      return e ? inputLayerCount(g, e.source, headers, next) : null;
    }
    case 'layerAssembly':
      return n.data.rows.length ? outputLayerCount(n.data.rows) : null;
    case 'merge': {
      const [donor] = [...(mergesBase(n.data.method) ? edgesInto(g, id, 'base') : []), ...edgesInto(g, id, 'models')];
      return donor ? inputLayerCount(g, donor.source, headers, next) : null;
    }
    default:
      return null;
  }
}
