/**
 * What a graph's mergekit YAML export cannot say about its Crucible-only nodes (issue 4): Align
 * (Re-Basin) and Fisher-estimate nodes are stages Crucible runs before the merge; the YAML can only
 * name the folder or file they write. Each gap names its node and carries the node's settings, so
 * they can be written into the file as comments.
 */
import type { GraphLike } from './graph-like.js';
import { upstreamStages } from './stages.js';

export interface ExportGap {
  /** The node the gap is about (absent for a recipe setting rather than a node). */
  nodeId?: string;
  message: string;
}

/** Gaps of the nodes upstream of `outputNodeId`, inputs first (none when the graph does not compile). */
export function graphExportGaps(g: GraphLike, outputNodeId: string): ExportGap[] {
  const up = upstreamStages(g, outputNodeId);
  if (!up.ok) return [];
  return up.stages.map((s): ExportGap => {
    if (s.kind === 'align') {
      return {
        nodeId: s.nodeId,
        message:
          `Align (Re-Basin) node ${s.nodeId}: mergekit has no weight matching; the YAML can only name the aligned folder '${s.out}', ` +
          `which Crucible must write first (reference ${s.reference}, model ${s.model}, seed ${s.seed}, max sweeps ${s.maxSweeps})`,
      };
    }
    const texts = s.texts.map((t) => (t.kind === 'file' ? t.path : t.name)).join(', ');
    return {
      nodeId: s.nodeId,
      message:
        `Fisher estimate node ${s.nodeId}: mergekit cannot estimate a Fisher; the YAML can only name the file '${s.out}', ` +
        `which Crucible must write first (model ${s.model}, probe texts ${texts || 'none'}${s.window === undefined ? '' : `, window ${s.window}`})`,
    };
  });
}
