/**
 * Edit → Connect output to… (Ctrl+Shift+E): the selected node's output connected from the keyboard.
 * The dialog lists only the inputs a drag would be allowed to reach; the edge is made by the editor's
 * connect, as a drag's is (one undo step).
 */
import { nodeLabel } from '../../../common/graph/node-label.js';
import { portsOf } from '../../../common/graph/ports.js';
import { connectionTargets, type ConnectionTarget } from '../state/connection-targets.js';
import { useConnectPicker } from '../state/connect-picker-store.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';

export function openConnectPicker(): void {
  const ed = useEditor.getState();
  const selected = ed.nodes.filter((n) => n.selected);
  if (selected.length !== 1) {
    useUi.getState().notify('Select one node first (Tab to it, then Enter), then Connect output to…', 'info');
    return;
  }
  const source = selected[0];
  const name = nodeLabel(source.data);
  if (!portsOf(source.data).output) {
    useUi.getState().notify(`${name} has no output to connect.`, 'info');
    return;
  }
  const targets = connectionTargets({ nodes: ed.nodes, edges: ed.edges }, source.id);
  if (targets.length === 0) {
    useUi.getState().notify(`No input of another node can take ${name}'s output now.`, 'info');
    return;
  }
  useConnectPicker.getState().open({ sourceId: source.id, title: `Connect ${name} to…`, targets });
}

/** Makes the chosen edge (checked again: the graph may have changed since the list was made). */
export function connectToTarget(target: ConnectionTarget): void {
  const r = useEditor.getState().connect(target.edge);
  if (!r.ok) useUi.getState().notify(r.reason, 'error', { role: 'connection' });
}
