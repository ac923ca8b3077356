/** How a node is named in messages ("Model tiny-a", "TIES"). */
import { getMethod } from '../methods/registry.js';
import type { NodeData } from './project-schema.js';

/** A path's non-empty components, with either separator. */
function pathParts(path: string): string[] {
  return path.split(/[\\/]+/).filter((p) => p.length > 0);
}

export function baseName(path: string): string {
  const parts = pathParts(path);
  return parts.length ? parts[parts.length - 1] : path;
}

/**
 * The name a model folder goes by: its last component, except for a snapshot of the Hugging Face
 * cache (`…/models--org--name/snapshots/<commit>`), whose last component is a commit hash: the
 * repository's name then.
 */
export function modelPathName(path: string): string {
  const parts = pathParts(path);
  const n = parts.length;
  if (n >= 3 && parts[n - 2] === 'snapshots' && parts[n - 3].startsWith('models--')) {
    const repo = parts[n - 3].slice('models--'.length).split('--');
    const name = repo[repo.length - 1];
    if (name) return name;
  }
  return baseName(path);
}

/** A Model node's own name: its label, else its checkpoint's (empty when it has neither). */
export function modelNodeName(data: Extract<NodeData, { kind: 'model' }>): string {
  return data.label?.trim() || (data.path ? modelPathName(data.path) : '');
}

export function nodeLabel(data: NodeData): string {
  switch (data.kind) {
    case 'model': {
      const name = modelNodeName(data);
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
      return data.adapter ? `LoRA ${modelPathName(data.adapter)}` : 'LoRA';
  }
}
