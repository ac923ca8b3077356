/**
 * A path typed or picked into a Model node: the graph takes it at once (a Run started next uses
 * it), with the node's name decided by what is known of the path (model-path-change.ts), and
 * settled once its header has been read.
 */
import type { ModelNodeData } from '../../../common/graph/project-schema.js';
import { useEditor } from '../state/editor-store.js';
import { modelPathChange } from '../state/model-path-change.js';
import { readHeader } from './read-header.js';

function found(path: string): boolean | undefined {
  const h = useEditor.getState().headers[path];
  return h?.state === 'ok' ? true : h?.state === 'error' ? false : undefined;
}

function modelData(id: string): ModelNodeData | null {
  const data = useEditor.getState().nodes.find((n) => n.id === id)?.data;
  return data?.kind === 'model' ? data : null;
}

export function setModelPath(id: string, path: string): void {
  const before = modelData(id);
  if (!before) return;
  const applied = modelPathChange(before, path, found(path));
  useEditor.getState().updateData(id, applied, `path:${id}`);
  void readHeader(path, true).then(() => {
    // Unless the node changed since: the name the read says, as part of the same edit.
    const now = modelData(id);
    if (!now || now.path !== path || now.label !== applied.label) return;
    const settled = modelPathChange(before, path, found(path));
    if (settled.label !== applied.label) useEditor.getState().amendData(id, { label: settled.label });
  });
}
