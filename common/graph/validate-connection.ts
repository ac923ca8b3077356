/** Whether a new edge may be drawn, and if not, the reason to show where the user is looking. */
import { getMethod } from '../methods/registry.js';
import { edgesInto, nodeById, type GraphEdgeLike, type GraphLike } from './graph-like.js';
import { FISHER_ESTIMATE_OF_STAGE, isStageNode } from './chain.js';
import { nodeLabel } from './node-label.js';
import { PORT_KIND_LABEL, portsOf } from './ports.js';
import { invalid, VALID, type Validity } from './validity.js';

function reaches(g: GraphLike, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of g.edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}

export function validateConnection(g: GraphLike, c: GraphEdgeLike): Validity {
  const source = nodeById(g, c.source);
  const target = nodeById(g, c.target);
  if (!source || !target) return invalid('Both ends must be nodes on the canvas.');
  if (c.source === c.target) return invalid('A node cannot feed itself.');
  const out = portsOf(source.data).output;
  if (!out || out.id !== c.sourceHandle) return invalid(`${nodeLabel(source.data)} has no output '${c.sourceHandle ?? ''}'.`);
  const input = portsOf(target.data).inputs.find((p) => p.id === c.targetHandle);
  if (!input) return invalid(`${nodeLabel(target.data)} has no input '${c.targetHandle ?? ''}'.`);

  // Chains: a merge's or Layer assembly's result feeds another merge or assembly (Models or Base:
  // a stage run first) or an Output.
  // A Fisher node's Model too: the Fisher file of that stage's result, for a Fisher merge reading it.
  const fisherOfStage = target.data.kind === 'fisher' && c.targetHandle === 'model';
  if (isStageNode(source.data) && target.data.kind !== 'output' && !isStageNode(target.data) && !fisherOfStage) {
    const what = source.data.kind === 'merge' ? 'A merge’s result' : 'A Layer assembly’s result';
    return invalid(`${what} goes into a merge or Layer assembly (Models or Base), a Fisher node’s Model or an Output, not into ${nodeLabel(target.data)}: write it to an Output and load that folder as a Model.`);
  }
  if (isStageNode(source.data) && fisherOfStage && target.data.kind === 'fisher' && target.data.source === 'estimate') {
    return invalid(FISHER_ESTIMATE_OF_STAGE);
  }
  if (source.data.kind === 'lora' && (target.data.kind === 'scale' || target.data.kind === 'add')) {
    return invalid('A LoRA task vector goes straight into a task-vector merge (Task arithmetic, TIES, DARE…), not through Scale or Add.');
  }
  if (!input.accepts.includes(out.gives)) {
    const what = PORT_KIND_LABEL[out.gives];
    const wants = input.accepts.map((k) => PORT_KIND_LABEL[k]).join(' or ');
    if (target.data.kind === 'merge' && out.gives === 'taskVector') {
      return invalid(`${nodeLabel(target.data)} takes ${wants}, not ${what}: use a task-vector method (Task arithmetic, TIES, DARE…) to combine task vectors.`);
    }
    return invalid(`${nodeLabel(source.data)} gives ${what}; ${input.label} of ${nodeLabel(target.data)} takes ${wants}.`);
  }
  const existing = edgesInto(g, c.target, input.id);
  if (existing.some((e) => e.source === c.source)) return invalid(`${nodeLabel(source.data)} is already connected to ${input.label}.`);
  if (!input.multiple && existing.length > 0) {
    if (target.data.kind === 'merge') {
      const m = getMethod(target.data.method);
      if (input.id === 'models' && m?.maxModels !== undefined) {
        return invalid(`${m.label} takes ${m.maxModels} model${m.maxModels === 1 ? '' : 's'} besides the base; remove the other edge first.`);
      }
    }
    return invalid(`${input.label} of ${nodeLabel(target.data)} already has an input; remove that edge first.`);
  }
  if (target.data.kind === 'merge' && input.id === 'models') {
    const m = getMethod(target.data.method);
    if (m?.maxModels !== undefined && existing.length >= m.maxModels) {
      return invalid(`${m.label} takes at most ${m.maxModels} models.`);
    }
  }
  if (reaches(g, c.target, c.source)) return invalid('That edge would make a cycle.');
  return VALID;
}
