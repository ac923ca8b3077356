/**
 * A project file (`.crucible.json`) as merges to run: one per Output node, compiled as the editor
 * compiles it (common/graph/compile.ts). A node that does not compile is an input error naming it.
 */
import type { CompiledJob } from '../../common/graph/compile.js';
import { compileOutput } from '../../common/graph/compile.js';
import { nodeById } from '../../common/graph/graph-like.js';
import { nodeLabel } from '../../common/graph/node-label.js';
import type { Project } from '../../common/graph/project-schema.js';
import { InputError } from '../engine/io/types.js';

export function projectJobs(project: Project, file: string): CompiledJob[] {
  const outputs = project.nodes.filter((n) => n.data.kind === 'output');
  if (outputs.length === 0) throw new InputError(`${file}: the project has no Output node: nothing to write`, file);
  return outputs.map((o) => {
    const c = compileOutput(project, o.id);
    if (c.ok) return c.job;
    const node = nodeById(project, c.nodeId);
    const name = node ? `${nodeLabel(node.data)} (node '${c.nodeId}')` : `node '${c.nodeId}'`;
    throw new InputError(`${file}: ${name}: ${c.reason}`, file);
  });
}
