/**
 * What a Model node's data becomes when a path is typed or picked into it. Its title follows a path
 * that reads as a checkpoint; a path that does not (a typo, a model not on this machine) leaves the
 * node the name it had, kept as its label, instead of naming it after a folder that is not there.
 * A node that had no name yet (no path) takes the one of the path either way. A node the user
 * renamed keeps that name whatever the path. A kept name lasts only while the path does not read:
 * once it does (the model was downloaded since, and the project reopened), the title follows it.
 */

import { modelPathName } from '../../../common/graph/node-label.js';
import type { ModelNodeData } from '../../../common/graph/project-schema.js';

/** `found`: the path reads as a checkpoint; undefined while not known (the name is kept meanwhile). */
export function modelPathChange(data: ModelNodeData, path: string, found: boolean | undefined): Pick<ModelNodeData, 'path' | 'label'> {
  // A name the user gave the node stays.
  if (data.named && data.label?.trim()) return { path, label: data.label };
  if (found) return { path, label: undefined };
  const name = data.label ?? (data.path ? modelPathName(data.path) : undefined);
  return { path, label: name };
}

/** The data of a Model node renamed to `name`; an empty name gives the naming back to its path. */
export function modelRename(name: string): Pick<ModelNodeData, 'label' | 'named'> {
  const trimmed = name.trim();
  return trimmed ? { label: trimmed, named: true } : { label: undefined, named: undefined };
}

/**
 * The data of a Model node once `path` reads as a checkpoint: a node reading it that kept a name
 * while it did not (a label the user did not give) drops that name and follows the path; null
 * when nothing changes.
 */
export function keptNameSettled(data: ModelNodeData, path: string): Pick<ModelNodeData, 'label'> | null {
  if (data.path !== path || data.named || data.label === undefined) return null;
  return { label: undefined };
}
