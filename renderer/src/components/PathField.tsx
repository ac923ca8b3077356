/** A path on the host, typed with completion from the service (the web UI's stand-in for file dialogs). */
import { useEffect, useId, useRef, useState } from 'react';
import { service } from '../api/service.js';

interface Props {
  value: string;
  /** What was typed or picked, when it differs from `value`: on Enter, on leaving the field, on picking a file. */
  onCommit: (path: string) => void;
  /** Enter with no suggestion highlighted, after committing (a dialog submits). */
  onSubmit?: (path: string) => void;
  /** Escape with no suggestions to dismiss (a dialog cancels); without it, Escape puts back `value`. */
  onCancel?: () => void;
  placeholder?: string;
  label: string;
  autoFocus?: boolean;
  className?: string;
}

interface Entry {
  path: string;
  name: string;
  kind: 'dir' | 'file';
}

export function PathField({ value, onCommit, onSubmit, onCancel, placeholder, label, autoFocus, className }: Props) {
  const [text, setText] = useState(value);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const seq = useRef(0);
  // Typed since the suggestions were last dismissed: the next Escape dismisses them even if none are
  // showing yet (or none matched), so Escape right after typing never cancels or reverts by surprise.
  const typed = useRef(false);

  // What this field last handed to onCommit. Leaving the field does not hand it over again: an owner
  // may keep `value` as it was (the probe text picker adds the file and stays empty).
  const lastCommit = useRef(value);

  useEffect(() => {
    setText(value);
    lastCommit.current = value;
  }, [value]);

  const complete = (partial: string): void => {
    const mine = ++seq.current;
    void service()
      .call('path.complete', { partial })
      .then((r) => {
        if (mine !== seq.current) return;
        // The file already typed in full is no suggestion; listing it only covers what is below the field.
        const shown = r.entries.filter((e) => !(e.kind === 'file' && e.path === partial));
        setEntries(shown);
        setActive(-1);
        setOpen(shown.length > 0);
      })
      .catch(() => setEntries([]));
  };

  /** Closes the list; a completion still on its way is dropped instead of opening it again. */
  const close = (): void => {
    seq.current++;
    typed.current = false;
    setOpen(false);
  };

  /** `again`: an explicit Enter or pick, which commits even what was committed before. */
  const commit = (path: string, again: boolean): void => {
    close();
    if (path === value || (!again && path === lastCommit.current)) return;
    lastCommit.current = path;
    onCommit(path);
  };

  const choose = (e: Entry): void => {
    setText(e.path);
    if (e.kind === 'dir') complete(e.path);
    else commit(e.path, true);
  };

  return (
    <div className={`path-field nodrag nowheel ${className ?? ''}`}>
      <input
        aria-label={label}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        className="nodrag"
        value={text}
        placeholder={placeholder}
        autoFocus={autoFocus}
        spellCheck={false}
        // onInput, not only onChange: pasting the path that is already there is typing too (React's onChange skips it).
        onInput={() => (typed.current = true)}
        onChange={(e) => {
          setText(e.target.value);
          complete(e.target.value);
        }}
        onFocus={() => complete(text)}
        // Leaving the field keeps what was typed, as Enter does: the field never shows a path the graph does not have.
        onBlur={() => commit(text, false)}
        onKeyDown={(e) => {
          const highlighted = open && active >= 0 ? entries[active] : undefined;
          if (e.key === 'ArrowDown' && entries.length) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(entries.length - 1, a + 1));
          } else if (e.key === 'ArrowUp' && entries.length) {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Tab' && highlighted) {
            // Only a suggestion the user chose with the arrows; otherwise Tab moves on and blur commits the text.
            e.preventDefault();
            choose(highlighted);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (highlighted) choose(highlighted);
            else {
              commit(text, true);
              onSubmit?.(text);
            }
          } else if (e.key === 'Escape') {
            // Handled here, so it does not also reach the dialog or the canvas around the field.
            e.stopPropagation();
            if (open || typed.current) close();
            else if (onCancel) onCancel();
            else setText(value);
          }
        }}
      />
      {open && (
        // preventDefault on mousedown keeps the focus in the input (no blur commit) while picking or scrolling.
        <ul id={listId} role="listbox" className="path-suggestions nowheel" onMouseDown={(ev) => ev.preventDefault()}>
          {entries.map((e, i) => (
            <li key={e.path} role="option" aria-selected={i === active} className={`${e.kind} ${i === active ? 'active' : ''}`} onMouseDown={() => choose(e)}>
              {e.kind === 'dir' ? '📁 ' : '📄 '}
              {e.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
