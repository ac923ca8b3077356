/** A path on the host, typed with completion from the service (the web UI's stand-in for file dialogs). */
import { useEffect, useId, useRef, useState } from 'react';
import { service } from '../api/service.js';

interface Props {
  value: string;
  onCommit: (path: string) => void;
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

export function PathField({ value, onCommit, placeholder, label, autoFocus, className }: Props) {
  const [text, setText] = useState(value);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const seq = useRef(0);

  useEffect(() => setText(value), [value]);

  const complete = (partial: string): void => {
    const mine = ++seq.current;
    void service()
      .call('path.complete', { partial })
      .then((r) => {
        if (mine !== seq.current) return;
        setEntries(r.entries);
        setActive(-1);
        setOpen(r.entries.length > 0);
      })
      .catch(() => setEntries([]));
  };

  /** Closes the list; a completion still on its way is dropped instead of opening it again. */
  const close = (): void => {
    seq.current++;
    setOpen(false);
  };

  const choose = (e: Entry): void => {
    setText(e.path);
    if (e.kind === 'dir') complete(e.path);
    else {
      close();
      onCommit(e.path);
    }
  };

  const commit = (): void => {
    close();
    if (text !== value) onCommit(text);
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
        onChange={(e) => {
          setText(e.target.value);
          complete(e.target.value);
        }}
        onFocus={() => complete(text)}
        onBlur={() => setTimeout(close, 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && entries.length) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(entries.length - 1, a + 1));
          } else if (e.key === 'ArrowUp' && entries.length) {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Tab' && open && entries.length) {
            e.preventDefault();
            choose(entries[Math.max(0, active)]);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (open && active >= 0) choose(entries[active]);
            else commit();
          } else if (e.key === 'Escape') close();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" className="path-suggestions nowheel">
          {entries.map((e, i) => (
            <li
              key={e.path}
              role="option"
              aria-selected={i === active}
              className={`${e.kind} ${i === active ? 'active' : ''}`}
              onMouseDown={(ev) => {
                ev.preventDefault();
                choose(e);
              }}
            >
              {e.kind === 'dir' ? '📁 ' : '📄 '}
              {e.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
