/** The searchable palette, generated from the method registry plus the graph's own node kinds. */
import { useMemo, useState } from 'react';
import { METHODS } from '../../../common/methods/registry.js';
import type { MethodId } from '../../../common/methods/types.js';
import type { NodeKind } from '../../../common/graph/project-schema.js';
import { useEditor } from '../state/editor-store.js';
import { newNodeSpot, reveal } from '../state/flow-instance.js';

interface Entry {
  key: string;
  label: string;
  group: string;
  summary: string;
  kind: NodeKind;
  method?: MethodId;
}

const ENTRIES: Entry[] = [
  { key: 'model', label: 'Model', group: 'Inputs', summary: 'A checkpoint folder or .safetensors file.', kind: 'model' },
  { key: 'taskVector', label: 'Task Vector', group: 'Task vectors', summary: 'model − base.', kind: 'taskVector' },
  { key: 'scale', label: 'Scale', group: 'Task vectors', summary: 'Multiply a task vector by α (negative α negates).', kind: 'scale' },
  { key: 'add', label: 'Add', group: 'Task vectors', summary: 'Sum of task vectors over one base.', kind: 'add' },
  ...METHODS.map((m) => ({ key: m.id, label: m.label, group: 'Merge methods', summary: m.summary, kind: 'merge' as const, method: m.id })),
  { key: 'layerAssembly', label: 'Layer assembly', group: 'Merge methods', summary: 'Frankenmerge (mergekit slices): stack layer ranges of the models wired in, one row per slice.', kind: 'layerAssembly' },
  { key: 'align', label: 'Align', group: 'Beyond mergekit', summary: 'Git Re-Basin: permute model B to match reference A before merging them.', kind: 'align' },
  { key: 'fisherNode', label: 'Fisher', group: 'Beyond mergekit', summary: "A model's per-weight importance (diagonal Fisher), from a file or estimated on probe text.", kind: 'fisher' },
  { key: 'lora', label: 'LoRA', group: 'Beyond mergekit', summary: 'A PEFT LoRA adapter over a base: as a model, or as a task vector.', kind: 'lora' },
  { key: 'output', label: 'Output', group: 'Outputs', summary: 'Folder, dtype, shard size and seed of the result.', kind: 'output' },
];

let placed = 0;

export function Palette() {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return ENTRIES.filter((e) => !q || e.label.toLowerCase().includes(q) || e.summary.toLowerCase().includes(q) || e.key.includes(q));
  }, [query]);
  const groups = [...new Set(shown.map((e) => e.group))];

  return (
    <aside className="palette" aria-label="Palette">
      <input type="search" placeholder="Search nodes…" aria-label="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} />
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
                onClick={() => {
                  const spot = newNodeSpot(placed++, useEditor.getState().nodes, e.kind);
                  useEditor.getState().addNode(e.kind, spot, e.method);
                  reveal(spot, e.kind);
                }}
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
