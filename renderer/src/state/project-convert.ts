/** Project file ↔ editor state. */
import { PROJECT_FORMAT, PROJECT_VERSION, type Project } from '../../../common/graph/project-schema.js';
import type { FlowEdge, FlowNode } from './flow-types.js';

export function projectToFlow(p: Project): { nodes: FlowNode[]; edges: FlowEdge[] } {
  return {
    nodes: p.nodes.map((n) => ({ id: n.id, type: n.data.kind, position: { ...n.position }, data: n.data })),
    edges: p.edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle })),
  };
}

export function flowToProject(name: string, nodes: readonly FlowNode[], edges: readonly FlowEdge[], viewport?: { x: number; y: number; zoom: number }): Project {
  const p: Project = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name,
    nodes: nodes.map((n) => ({ id: n.id, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, data: n.data })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? '', target: e.target, targetHandle: e.targetHandle ?? '' })),
  };
  if (viewport) p.viewport = viewport;
  return p;
}
