/** On a Model, LoRA or Fisher node of a reopened recipe: its input found at a new location, or not found. */
import { useReopen } from '../../state/reopen-store.js';

export function InputNoteLine({ id, path, pointAt = 'its folder' }: { id: string; path: string; pointAt?: string }) {
  const note = useReopen((s) => s.notes[id]);
  if (!note || note.path !== path) return null;
  if (note.status === 'moved') {
    return (
      <div className="input-note moved" role="note" aria-label="Input location">
        Found by header hash at a new location (recorded at <span title={note.recordedPath}>{note.recordedPath}</span>).
      </div>
    );
  }
  return (
    <div className="input-note missing" role="note" aria-label="Input location" title={note.reason}>
      Not found: {note.recordedPath} (recorded path). Point the path field at {pointAt}.
    </div>
  );
}
