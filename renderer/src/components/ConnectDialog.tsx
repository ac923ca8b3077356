/**
 * "Connect output to…": the inputs the selected node's output may feed, as a list. Up/Down (wrapping),
 * Home/End choose, Enter connects, Escape (or Cancel, or a click beside the dialog) leaves the graph as
 * it was. Keys stay in the dialog while it is open. Afterwards the focus is back on the node.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { connectToTarget } from '../commands/connect-commands.js';
import type { ConnectionTarget } from '../state/connection-targets.js';
import { useConnectPicker, type ConnectPicker } from '../state/connect-picker-store.js';

function optionId(i: number): string {
  return `connect-target-${i}`;
}

/** The node's element on the canvas, which React Flow makes focusable. */
function focusNode(nodeId: string): void {
  document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`)?.focus();
}

function ConnectDialogBody({ picker }: { picker: ConnectPicker }) {
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const { targets } = picker;
  useEffect(() => list.current?.focus(), []);
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const finish = (target: ConnectionTarget | null): void => {
    useConnectPicker.getState().close();
    if (target) connectToTarget(target);
    focusNode(picker.sourceId);
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>): void => {
    const n = targets.length;
    const moves: Partial<Record<string, number>> = { ArrowDown: (active + 1) % n, ArrowUp: (active + n - 1) % n, Home: 0, End: n - 1 };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      setActive(to);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      finish(targets[active]);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && finish(null)}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="connect-dialog-title"
        className="modal connect-dialog"
        onKeyDown={(e) => {
          // The page's shortcuts (Delete, Undo…) would act on the graph behind the dialog.
          e.stopPropagation();
          if (e.key === 'Escape') {
            e.preventDefault();
            finish(null);
          }
        }}
      >
        <h2 id="connect-dialog-title">{picker.title}</h2>
        <p className="muted">Inputs that accept this output now. Up and Down to choose, Enter to connect, Escape to cancel.</p>
        <ul ref={list} role="listbox" tabIndex={0} aria-label="Inputs" aria-activedescendant={optionId(active)} className="connect-targets" onKeyDown={onListKey}>
          {targets.map((t, i) => (
            <li
              key={`${t.edge.target}:${t.edge.targetHandle}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                finish(t);
              }}
            >
              {t.label}
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <button onClick={() => finish(null)}>Cancel</button>
        </div>
      </div>
    </div>
  );
}

export function ConnectDialog() {
  const picker = useConnectPicker((s) => s.picker);
  return picker ? <ConnectDialogBody picker={picker} /> : null;
}
