/**
 * What a Model node's data becomes when a path is typed or picked into it. Its title follows a path
 * that reads as a checkpoint; a path that does not (a typo, a model not on this machine) leaves the
 * node the name it had, kept as its label, instead of naming it after a folder that is not there.
 * A node that had no name yet (no path) takes the one of the path either way.
 */
import { modelPathName } from '../../../common/graph/node-label.js';
import type { ModelNodeData } from '../../../common/graph/project-schema.js';

/** `found`: the path reads as a checkpoint; undefined while not known (the name is kept meanwhile). */
export function modelPathChange(data: ModelNodeData, path: string, found: boolean | undefined): Pick<ModelNodeData, 'path' | 'label'> {
  if (found) return { path, label: undefined };
  const name = data.label ?? (data.path ? modelPathName(data.path) : undefined);
  return { path, label: name };
}
