/** Validity of the issue-6 nodes (Align, Fisher, LoRA): inputs connected and paths chosen, shown on the node (local: it depends on connected nodes only). */
import type { GraphLike } from './graph-like.js';
import { modelInput, modelPath } from './model-source.js';
import { fisherModel } from './fisher-inputs.js';
import { invalid, VALID, type Validity } from './validity.js';

export function validateStageNode(g: GraphLike, id: string): Validity {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) return VALID;
  switch (n.data.kind) {
    case 'align': {
      const a = modelPath(g, id, 'reference', 'Reference (A)');
      if (!a.ok) return invalid(a.reason);
      const b = modelPath(g, id, 'model', 'Model to permute (B)');
      if (!b.ok) return invalid(b.reason);
      if (a.path === b.path) return invalid('A and B are the same model: there is nothing to align.');
      if (!n.data.folder.trim()) return invalid('Choose the folder the aligned model is written to.');
      if (n.data.folder.trim() === a.path || n.data.folder.trim() === b.path) return invalid('The aligned model would overwrite one of its inputs: choose another folder.');
      return VALID;
    }
    case 'fisher': {
      // Its Model may be an earlier stage's result, when its Fisher is a file (fisher-inputs.ts).
      const m = fisherModel(g, id, undefined, 'Model');
      if (!m.ok) return invalid(m.reason);
      if (!n.data.file.trim()) return invalid(n.data.source === 'file' ? 'Choose the Fisher file.' : 'Choose where the estimated Fisher is written.');
      if (n.data.source === 'estimate' && n.data.texts.length === 0) return invalid('Choose at least one probe text to estimate the Fisher on.');
      return VALID;
    }
    case 'lora': {
      if (!n.data.adapter.trim()) return invalid('Choose the LoRA adapter folder.');
      const b = modelInput(g, id, 'base', 'Base');
      if (!b.ok) return invalid(b.reason);
      return VALID;
    }
    default:
      return VALID;
  }
}
