/** The web UI's open/save dialog: a path on the host, typed with completion. */
import { useState } from 'react';
import { useUi } from '../state/ui-store.js';
import { PathField } from './PathField.js';

export function PathPrompt() {
  const prompt = useUi((s) => s.prompt);
  const close = useUi((s) => s.closePrompt);
  const [value, setValue] = useState<string | null>(null);
  if (!prompt) return null;
  const current = value ?? prompt.initial;
  const submit = (p: string): void => {
    setValue(null);
    close(p.trim() ? p.trim() : null);
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && (setValue(null), close(null))}>
      <div role="dialog" aria-label={prompt.title} className="modal">
        <h2>{prompt.title}</h2>
        <p className="muted">A path on the machine running Crucible.</p>
        <PathField label="Path" value={current} autoFocus onCommit={(p) => setValue(p)} />
        <div className="modal-actions">
          <button
            onClick={() => {
              setValue(null);
              close(null);
            }}
          >
            Cancel
          </button>
          <button
            className="primary"
            onClick={() => {
              const input = document.querySelector<HTMLInputElement>('.modal .path-field input');
              submit(input?.value ?? current);
            }}
          >
            {prompt.action}
          </button>
        </div>
      </div>
    </div>
  );
}
