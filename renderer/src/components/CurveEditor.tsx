/** Placeholder until the per-layer curve editor lands: closes itself. */
import { useUi } from '../state/ui-store.js';

export function CurveEditor() {
  const curve = useUi((s) => s.curve);
  if (!curve) return null;
  return (
    <aside className="curve-editor" aria-label="Per-layer curve">
      <p>Per-layer curves are coming.</p>
      <button onClick={() => useUi.getState().set({ curve: null })}>Close</button>
    </aside>
  );
}
