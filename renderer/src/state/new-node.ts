/** Fresh node data for each palette entry. */
import type { MethodId } from '../../../common/methods/types.js';
import { DEFAULT_SHARD_SIZE } from '../../../common/graph/migrations.js';
import type { NodeData, NodeKind } from '../../../common/graph/project-schema.js';

let counter = 0;
export function newNodeId(kind: string): string {
  counter += 1;
  return `${kind}-${Date.now().toString(36)}${counter.toString(36)}`;
}

export function newNodeData(kind: NodeKind, opts: { method?: MethodId; outputFolder?: string } = {}): NodeData {
  switch (kind) {
    case 'model':
      return { kind, path: '' };
    case 'taskVector':
      return { kind };
    case 'scale':
      return { kind, alpha: 1 };
    case 'add':
      return { kind };
    case 'merge':
      return { kind, method: opts.method ?? 'linear', params: {}, modelParams: {} };
    case 'output':
      return { kind, folder: opts.outputFolder ?? '', dtype: 'auto', shardSize: DEFAULT_SHARD_SIZE, seed: 0, overwrite: false };
    case 'align':
      return { kind, folder: opts.outputFolder ? opts.outputFolder.replace(/[^\\/]*$/, `aligned-${counter}`) : '', seed: 0, maxSweeps: 100 };
    case 'fisher':
      return { kind, source: 'estimate', file: opts.outputFolder ? opts.outputFolder.replace(/[^\\/]*$/, `fisher-${counter}.safetensors`) : '', texts: [{ kind: 'bundled', name: 'prose.txt' }] };
    case 'lora':
      return { kind, adapter: '', mode: 'model' };
    case 'layerAssembly':
      return { kind, method: 'passthrough', params: {}, rows: [] };
  }
}
