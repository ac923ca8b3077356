/** The web UI's open/save dialog: a path on the host, typed with completion. Enter submits, Escape cancels. */
import { useState } from 'react';
import { useUi, type PathPrompt as PathPromptState } from '../state/ui-store.js';
import { PathField } from './PathField.js';

export function PathPrompt() {
  const prompt = useUi((s) => s.prompt);
  const close = useUi((s) => s.closePrompt);
  // What the field committed (leaving the field commits, so this is what the action button submits),
  // tied to its prompt: a commit landing as the dialog closes cannot leak into the next prompt.
  const [committed, setCommitted] = useState<{ prompt: PathPromptState; path: string } | null>(null);
  if (!prompt) return null;
  const current = committed?.prompt === prompt ? committed.path : prompt.initial;
  /** Closes the dialog with a path (submit) or null (cancel). */
  const finish = (p: string | null): void => close(p?.trim() ? p.trim() : null);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && finish(null)}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={prompt.title}
        className="modal"
        onKeyDown={(e) => {
          // Escape from the buttons; the path field handles its own (first closing its suggestions).
          if (e.key === 'Escape') {
            e.stopPropagation();
            finish(null);
          }
        }}
      >
        <h2>{prompt.title}</h2>
        <p className="muted">A path on the machine running Crucible.</p>
        <PathField className="path-prompt-field" label="Path" value={current} autoFocus onCommit={(path) => setCommitted({ prompt, path })} onSubmit={finish} onCancel={() => finish(null)} />
        <div className="modal-actions">
          <button onClick={() => finish(null)}>Cancel</button>
          <button className="primary" onClick={() => finish(current)}>
            {prompt.action}
          </button>
        </div>
      </div>
    </div>
  );
}
