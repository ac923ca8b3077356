/** The searchable palette, generated from the method registry plus the graph's own node kinds. A click adds a node in view; a drag drops it where it is let go. */
import { useMemo, useState } from 'react';
import { PALETTE_ENTRIES, PALETTE_MIME, addPaletteNode } from '../commands/palette-commands.js';

export function Palette() {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return PALETTE_ENTRIES.filter((e) => !q || e.label.toLowerCase().includes(q) || e.summary.toLowerCase().includes(q) || e.key.includes(q));
  }, [query]);
  const groups = [...new Set(shown.map((e) => e.group))];

  return (
    <aside className="palette" aria-label="Palette">
      <input
        type="search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        aria-description="Enter adds the first match"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          // Keyboard use: type a few letters, Enter adds the first entry shown.
          if (e.key !== 'Enter' || !query.trim() || shown.length === 0) return;
          e.preventDefault();
          addPaletteNode(shown[0].key);
          setQuery('');
        }}
      />
      {groups.map((g) => (
        <section key={g}>
          <h3>{g}</h3>
          {shown
            .filter((e) => e.group === g)
            .map((e) => (
              <button
                key={e.key}
                className="palette-item"
                title={e.summary}
                draggable
                onDragStart={(ev) => {
                  ev.dataTransfer.setData(PALETTE_MIME, e.key);
                  ev.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => addPaletteNode(e.key)}
              >
                {e.label}
              </button>
            ))}
        </section>
      ))}
      {shown.length === 0 && <p className="muted">No node matches “{query}”.</p>}
    </aside>
  );
}
