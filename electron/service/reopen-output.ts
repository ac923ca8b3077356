/** The engine's reopened graph → the contract's answer to "Open recipe from output folder". */
import type { ReopenResult } from '../../common/contract/reopen.js';
import type { ReopenedGraph } from '../engine/provenance/extract-graph.js';

export function reopenResult(r: ReopenedGraph): ReopenResult {
  return {
    project: r.graph,
    output: r.provenance.checkpoint.path,
    inputs: r.inputs.map((i) => ({
      model: i.model,
      ...(i.kind === undefined ? {} : { kind: i.kind }),
      recordedPath: i.recordedPath,
      status: !i.found ? 'missing' : i.moved ? 'moved' : 'found',
      path: i.found ? i.path : null,
      ...(i.found ? {} : { reason: i.reason }),
      nodeIds: i.nodeIds,
    })),
  };
}
