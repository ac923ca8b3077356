/** Export mergekit YAML's question when the graph has what mergekit cannot express: the gaps with reasons, and the choices. Escape cancels. */
import { useExportGaps } from '../state/export-gaps-store.js';

export function ExportGapsDialog() {
  const open = useExportGaps((s) => s.open);
  const answer = useExportGaps((s) => s.answer);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && answer('cancel')}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label="Not expressible in mergekit"
        className="modal"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            answer('cancel');
          }
        }}
      >
        <h2>Not expressible in mergekit</h2>
        <p className="muted">mergekit will not do what Crucible does here:</p>
        <ul className="export-gaps">
          {open.gaps.map((g, i) => (
            <li key={i}>{g.message}</li>
          ))}
        </ul>
        <div className="modal-actions">
          <button autoFocus onClick={() => answer('cancel')}>
            Cancel
          </button>
          <button onClick={() => answer('anyway')}>Export anyway</button>
          <button className="primary" onClick={() => answer('comments')}>
            Export with these as comments
          </button>
        </div>
      </div>
    </div>
  );
}
