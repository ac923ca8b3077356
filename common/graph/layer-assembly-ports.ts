/** The Layer assembly node's handles: the models its rows take layers from, a base (merged, or the donor only for a method that merges none), Fisher inputs for Fisher merging. */
import { getMethod } from '../methods/registry.js';
import type { LayerAssemblyNodeData } from './layer-assembly-schema.js';
import type { NodePorts, PortSpec } from './ports.js';
import { basePort } from './base-port.js';

export function layerAssemblyPorts(data: LayerAssemblyNodeData): NodePorts {
  const m = getMethod(data.method);
  const inputs: PortSpec[] = [];
  if (m) inputs.push(basePort(m));
  inputs.push({ id: 'models', label: 'Models', accepts: ['weights'], multiple: true });
  // Fisher merging pairs each model a row names with the Fisher node estimated on it.
  if (m?.id === 'fisher') inputs.push({ id: 'fishers', label: 'Fisher information', accepts: ['fisher'], multiple: true });
  return { inputs, output: { id: 'weights', label: 'assembled weights', accepts: ['weights'], multiple: true, gives: 'weights' } };
}
