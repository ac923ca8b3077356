/** The palette's entries (from the method registry plus the graph's own node kinds) and adding one to the graph. */
import { METHODS } from '../../../common/methods/registry.js';
import type { MethodId } from '../../../common/methods/types.js';
import type { NodeKind } from '../../../common/graph/project-schema.js';
import { useEditor } from '../state/editor-store.js';
import { newNodeSpot, reveal } from '../state/flow-instance.js';

/** The drag data type of a palette entry being dragged onto the canvas (its value: the entry's key). */
export const PALETTE_MIME = 'application/x-crucible-palette';

export interface PaletteEntry {
  key: string;
  label: string;
  group: string;
  summary: string;
  kind: NodeKind;
  method?: MethodId;
}

export const PALETTE_ENTRIES: readonly PaletteEntry[] = [
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

/** Adds the entry's node: at `at` (flow coordinates, where a drag was let go), else in a free spot in view. */
export function addPaletteNode(key: string, at?: { x: number; y: number }): boolean {
  const e = PALETTE_ENTRIES.find((x) => x.key === key);
  if (!e) return false;
  const ed = useEditor.getState();
  const spot = at ?? newNodeSpot(placed++, ed.nodes, e.kind);
  ed.addNode(e.kind, spot, e.method);
  if (!at) reveal(spot, e.kind);
  return true;
}
