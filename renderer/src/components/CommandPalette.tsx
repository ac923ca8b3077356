/**
 * Every menu command by name, and Run / Cancel, the analysis panels and adding a node: type a few
 * words, arrows to choose, Enter to run (View → Command palette…, Ctrl+Shift+P).
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { paletteCommands, type PaletteCommandDef } from '../commands/command-list.js';
import { filterCommands } from '../commands/filter-commands.js';
import { useRun } from '../state/run-store.js';
import { useUi } from '../state/ui-store.js';

function shortcutText(s: string | undefined): string {
  if (!s) return '';
  return s.replace('Mod', /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl');
}

function optionId(c: PaletteCommandDef): string {
  return `command-${c.id}`;
}

function PaletteBody() {
  const close = (): void => useUi.getState().setPaletteOpen(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  // Live: Cancel appears once a run can be cancelled, and Run goes while one runs.
  const status = useRun((s) => s.status);
  const commands = useMemo(() => paletteCommands(status), [status]);
  const shown = filterCommands(query, commands);
  const current = Math.min(active, Math.max(0, shown.length - 1));
  const currentId = shown.length ? optionId(shown[current]) : undefined;
  // The list is longer than it is tall: keep the option the arrows reach in sight.
  useEffect(() => {
    if (currentId) document.getElementById(currentId)?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);
  // Closed first: a command that opens the path prompt finds the page as it was.
  const run = (c: PaletteCommandDef | undefined): void => {
    if (!c) return;
    close();
    void c.run();
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = shown.length;
      if (n) setActive((current + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(shown[current]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div role="dialog" aria-label="Command palette" className="modal command-palette">
        <input
          autoFocus
          role="combobox"
          aria-label="Search commands"
          aria-expanded
          aria-controls="command-palette-list"
          aria-activedescendant={currentId}
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
        />
        <ul id="command-palette-list" role="listbox" aria-label="Commands">
          {shown.map((c, i) => (
            <li
              key={c.id}
              id={optionId(c)}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                run(c);
              }}
            >
              <span className="muted">{c.menu}:</span> {c.label}
              <kbd>{shortcutText(c.shortcut)}</kbd>
            </li>
          ))}
          {shown.length === 0 && <li className="muted">No command matches.</li>}
        </ul>
      </div>
    </div>
  );
}

export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  return open ? <PaletteBody /> : null;
}
