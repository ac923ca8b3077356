/** The editor's node and edge types: React Flow's, carrying the project file's node data. */
import type { Edge, Node } from '@xyflow/react';
import type { NodeData, NodeKind } from '../../../common/graph/project-schema.js';

export type FlowNode = Node<NodeData, NodeKind>;
export type FlowEdge = Edge;

export interface GraphSnapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
}
