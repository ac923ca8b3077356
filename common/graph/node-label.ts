/** How a node is named in messages ("Model tiny-a", "TIES"). */
import { getMethod } from '../methods/registry.js';
import type { NodeData } from './project-schema.js';

export function baseName(path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p.length > 0);
  return parts.length ? parts[parts.length - 1] : path;
}

export function nodeLabel(data: NodeData): string {
  switch (data.kind) {
    case 'model': {
      const name = data.label?.trim() || (data.path ? baseName(data.path) : '');
      return name ? `Model ${name}` : 'Model';
    }
    case 'taskVector':
      return 'Task vector';
    case 'scale':
      return 'Scale';
    case 'add':
      return 'Add';
    case 'merge': {
      const method = getMethod(data.method)?.label ?? data.method;
      return data.label?.trim() ? `${data.label.trim()} (${method})` : method;
    }
    case 'output':
      return 'Output';
    case 'align':
      return 'Align';
    case 'fisher':
      return 'Fisher';
    case 'layerAssembly':
      return data.label?.trim() ? `${data.label.trim()} (Layer assembly)` : 'Layer assembly';
    case 'lora':
      return data.adapter ? `LoRA ${baseName(data.adapter)}` : 'LoRA';
  }
}
