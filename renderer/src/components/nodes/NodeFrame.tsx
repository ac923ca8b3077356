/** The frame every node shares: title, body, and the problem (validation or run error) shown on it. */
import type { ReactNode } from 'react';
import { useEditor } from '../../state/editor-store.js';

export function NodeFrame({ id, title, kind, subtitle, children }: { id: string; title: string; kind: string; subtitle?: string; children?: ReactNode }) {
  const problem = useEditor((s) => s.problems[id] ?? null);
  const runError = useEditor((s) => s.runErrors[id] ?? null);
  const shown = runError ?? problem;
  return (
    <div className={`node node-${kind} ${shown ? 'has-problem' : ''}`} data-node-title={title}>
      <div className="node-title">
        <span>{title}</span>
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
