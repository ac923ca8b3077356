/** The typed handles of every node kind: what flows in and out, and how many edges a handle takes. */
import type { PortKind } from '../methods/types.js';
import { getMethod } from '../methods/registry.js';
import type { NodeData } from './project-schema.js';
import { layerAssemblyPorts } from './layer-assembly-ports.js';
import { basePort } from './base-port.js';

export interface PortSpec {
  id: string;
  label: string;
  /** What the handle accepts (inputs) or gives (outputs). */
  accepts: readonly PortKind[];
  multiple: boolean;
  /** What the input is for, when its label cannot say it all (shown on hover). */
  hint?: string;
}

export interface NodePorts {
  inputs: PortSpec[];
  output: (PortSpec & { gives: PortKind }) | null;
}

export const PORT_KIND_LABEL: Readonly<Record<PortKind, string>> = {
  weights: 'weights',
  taskVector: 'task vectors',
  fisher: 'Fisher information',
  permutation: 'permutations',
};

export function portsOf(data: NodeData): NodePorts {
  switch (data.kind) {
    case 'model':
      return { inputs: [], output: { id: 'weights', label: 'weights', accepts: ['weights'], multiple: true, gives: 'weights' } };
    case 'taskVector':
      return {
        inputs: [
          { id: 'model', label: 'Model', accepts: ['weights'], multiple: false },
          { id: 'base', label: 'Base', accepts: ['weights'], multiple: false },
        ],
        output: { id: 'taskVector', label: 'task vector', accepts: ['taskVector'], multiple: true, gives: 'taskVector' },
      };
    case 'scale':
      return {
        inputs: [{ id: 'taskVector', label: 'Task vector', accepts: ['taskVector'], multiple: false }],
        output: { id: 'taskVector', label: 'task vector', accepts: ['taskVector'], multiple: true, gives: 'taskVector' },
      };
    case 'add':
      return {
        inputs: [{ id: 'taskVectors', label: 'Task vectors', accepts: ['taskVector'], multiple: true }],
        output: { id: 'taskVector', label: 'task vector', accepts: ['taskVector'], multiple: true, gives: 'taskVector' },
      };
    case 'merge': {
      const m = getMethod(data.method);
      const inputs: PortSpec[] = [];
      if (m) inputs.push(basePort(m));
      const takesTaskVectors = m?.family === 'taskVector';
      inputs.push({
        id: 'models',
        label: 'Models',
        accepts: takesTaskVectors ? ['weights', 'taskVector'] : ['weights'],
        multiple: m?.maxModels !== 1,
      });
      // Fisher merging pairs each model with the Fisher node estimated on it.
      if (m?.id === 'fisher') inputs.push({ id: 'fishers', label: 'Fisher information', accepts: ['fisher'], multiple: true });
      return { inputs, output: { id: 'weights', label: 'merged weights', accepts: ['weights'], multiple: true, gives: 'weights' } };
    }
    case 'output':
      return { inputs: [{ id: 'weights', label: 'Weights', accepts: ['weights'], multiple: false }], output: null };
    case 'align':
      return {
        inputs: [
          { id: 'reference', label: 'Reference (A)', accepts: ['weights'], multiple: false },
          { id: 'model', label: 'Model to permute (B)', accepts: ['weights'], multiple: false },
        ],
        output: { id: 'weights', label: 'B aligned to A', accepts: ['weights'], multiple: true, gives: 'weights' },
      };
    case 'fisher':
      return {
        inputs: [{ id: 'model', label: 'Model', accepts: ['weights'], multiple: false }],
        output: { id: 'fisher', label: 'Fisher information', accepts: ['fisher'], multiple: true, gives: 'fisher' },
      };
    case 'layerAssembly':
      return layerAssemblyPorts(data);
    case 'lora':
      return {
        inputs: [{ id: 'base', label: 'Base', accepts: ['weights'], multiple: false }],
        output:
          data.mode === 'model'
            ? { id: 'weights', label: 'base + adapter', accepts: ['weights'], multiple: true, gives: 'weights' }
            : { id: 'taskVector', label: 'adapter update (task vector)', accepts: ['taskVector'], multiple: true, gives: 'taskVector' },
      };
  }
}
