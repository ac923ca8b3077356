/** Notices: refused connections appear at the pointer; other messages stack at the top of the canvas. */
import { useUi } from '../state/ui-store.js';

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  return (
    <>
      {notices.map((n) => (
        <div
          key={n.id}
          role={n.tone === 'error' ? 'alert' : 'status'}
          className={`notice notice-${n.tone} ${n.role === 'connection' ? 'connection-refused' : ''} ${n.at ? 'at-pointer' : ''}`}
          style={n.at ? { left: n.at.x + 12, top: n.at.y + 12 } : undefined}
          onClick={() => dismiss(n.id)}
        >
          {n.text}
        </div>
      ))}
    </>
  );
}
