/** Read a model's header through the service (metadata only) and keep it for display and validation. */
import { service } from '../api/service.js';
import { hostDirname } from '../host-path.js';
import { useEditor } from '../state/editor-store.js';

const inFlight = new Map<string, Promise<void>>();

export function readHeader(path: string, force = false): Promise<void> {
  const ed = useEditor.getState();
  if (!path.trim()) return Promise.resolve();
  const known = ed.headers[path];
  if (!force && known && known.state !== 'pending') return Promise.resolve();
  const running = inFlight.get(path);
  if (running) return running;
  ed.setHeader(path, { state: 'pending' });
  const baseDir = ed.path ? hostDirname(ed.path) : undefined;
  const p = service()
    .call('checkpoint.open', baseDir ? { path, baseDir } : { path })
    .then(
      (summary) => useEditor.getState().setHeader(path, { state: 'ok', summary }),
      (e: unknown) => useEditor.getState().setHeader(path, { state: 'error', message: e instanceof Error ? e.message : String(e) }),
    )
    .finally(() => inFlight.delete(path));
  inFlight.set(path, p);
  return p;
}
