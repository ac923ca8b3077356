/**
 * Numbered migrations of the project file: migrate[n] turns version n into version n + 1.
 * Each step takes a file already validated against its own version's schema.
 */
import type { ProjectV1 } from './project-v1-schema.js';
import { PROJECT_FORMAT, type NodeData, type Project } from './project-schema.js';

/** Output dtype spellings of v1 files (free text) mapped onto v2's choices. */
function v1Dtype(s: string | undefined): 'auto' | 'float32' | 'float16' | 'bfloat16' {
  switch ((s ?? '').toLowerCase()) {
    case 'float32':
    case 'fp32':
      return 'float32';
    case 'float16':
    case 'fp16':
      return 'float16';
    case 'bfloat16':
    case 'bf16':
      return 'bfloat16';
    default:
      return 'auto';
  }
}

export const DEFAULT_SHARD_SIZE = 5 * 1024 ** 3;

export function migrateV1toV2(v1: ProjectV1): Project {
  const modelParams = new Map<string, Record<string, Record<string, unknown>>>();
  for (const e of v1.edges) {
    if (e.toPort === 'models' && e.params) {
      const m = modelParams.get(e.to) ?? {};
      m[e.from] = e.params;
      modelParams.set(e.to, m);
    }
  }
  const nodes = v1.nodes.map((n) => {
    let data: NodeData;
    switch (n.type) {
      case 'model':
        data = { kind: 'model', path: n.path };
        break;
      case 'taskVector':
        data = { kind: 'taskVector' };
        break;
      case 'scale':
        data = { kind: 'scale', alpha: n.alpha };
        break;
      case 'add':
        data = { kind: 'add' };
        break;
      case 'merge':
        data = { kind: 'merge', method: n.method, params: n.params, modelParams: (modelParams.get(n.id) ?? {}) as never };
        break;
      case 'output':
        data = { kind: 'output', folder: n.path, dtype: v1Dtype(n.dtype), shardSize: DEFAULT_SHARD_SIZE, seed: 0, overwrite: false };
        break;
    }
    return { id: n.id, position: { x: n.x, y: n.y }, data };
  });
  const edges = v1.edges.map((e, i) => ({
    id: `e${i + 1}-${e.from}-${e.to}`,
    source: e.from,
    sourceHandle: e.fromPort,
    target: e.to,
    targetHandle: e.toPort,
  }));
  return { format: PROJECT_FORMAT, version: 2, name: v1.name ?? 'Untitled', nodes, edges };
}
