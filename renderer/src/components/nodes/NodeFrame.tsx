/** The frame every node shares: title, body, and the problem (validation or run error) shown on it. */
import { useEffect, useState, type ReactNode } from 'react';
import { useEditor } from '../../state/editor-store.js';
import { useUi } from '../../state/ui-store.js';

/** A title the user may rename: double-click it (or F2), type, Enter (or leave the field) to keep, Escape to cancel. */
export interface Rename {
  /** The name the field starts from. */
  value: string;
  onCommit: (name: string) => void;
}

function RenamableTitle({ id, title, rename }: { id: string; title: string; rename: Rename }) {
  const editing = useUi((s) => s.renaming === id);
  const [text, setText] = useState('');
  // The field starts from the current name each time renaming begins (a double-click, or Edit → Rename node).
  useEffect(() => {
    if (editing) setText(rename.value);
  }, [editing, rename.value]);
  if (!editing) {
    return (
      <span title="Double-click (or F2 when selected) to rename" onDoubleClick={() => useUi.getState().setRenaming(id)}>
        {title}
      </span>
    );
  }
  const finish = (keep: boolean) => {
    if (keep && text !== rename.value) rename.onCommit(text);
    useUi.getState().setRenaming(null);
  };
  return (
    <input
      className="nodrag node-rename"
      aria-label="Node name"
      autoFocus
      value={text}
      placeholder="name (empty: the folder's)"
      onChange={(e) => setText(e.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={(e) => {
        // The canvas's shortcuts (Delete, copy, undo) must not act on the node while its name is typed.
        e.stopPropagation();
        if (e.key === 'Enter') finish(true);
        else if (e.key === 'Escape') finish(false);
      }}
    />
  );
}

export function NodeFrame({ id, title, kind, subtitle, rename, children }: { id: string; title: string; kind: string; subtitle?: string; rename?: Rename; children?: ReactNode }) {
  const problem = useEditor((s) => s.problems[id] ?? null);
  const runError = useEditor((s) => s.runErrors[id] ?? null);
  const shown = runError ?? problem;
  return (
    <div className={`node node-${kind} ${shown ? 'has-problem' : ''}`} data-node-title={title}>
      <div className="node-title">
        {rename ? <RenamableTitle id={id} title={title} rename={rename} /> : <span>{title}</span>}
        {subtitle && <span className="node-subtitle">{subtitle}</span>}
      </div>
      <div className="node-body">{children}</div>
      {shown && (
        // nowheel: a long message scrolls in its box instead of zooming the canvas.
        <div className="node-problem nowheel" role="status">
          {shown}
        </div>
      )}
    </div>
  );
}
