/** The frame every node shares: title, body, and the problem (validation or run error) shown on it. */
import { useState, type ReactNode } from 'react';
import { useEditor } from '../../state/editor-store.js';

/** A title the user may rename: double-click it, type, Enter (or leave the field) to keep, Escape to cancel. */
export interface Rename {
  /** The name the field starts from. */
  value: string;
  onCommit: (name: string) => void;
}

function RenamableTitle({ title, rename }: { title: string; rename: Rename }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (editing === null) {
    return (
      <span title="Double-click to rename" onDoubleClick={() => setEditing(rename.value)}>
        {title}
      </span>
    );
  }
  const finish = (keep: boolean) => {
    if (keep && editing !== rename.value) rename.onCommit(editing);
    setEditing(null);
  };
  return (
    <input
      className="nodrag node-rename"
      aria-label="Node name"
      autoFocus
      value={editing}
      placeholder="name (empty: the folder's)"
      onChange={(e) => setEditing(e.target.value)}
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
        {rename ? <RenamableTitle title={title} rename={rename} /> : <span>{title}</span>}
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
