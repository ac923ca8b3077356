/**
 * Notices: refused connections appear at the pointer; other messages stack at the top of the
 * canvas, newest last, each readable (several at once used to be drawn on top of one another).
 */
import { useUi, type Notice } from '../state/ui-store.js';
import { pointerNoticePosition } from './notice-position.js';

function NoticeBox({ n, dismiss }: { n: Notice; dismiss: (id: number) => void }) {
  return (
    <div
      role={n.tone === 'error' ? 'alert' : 'status'}
      className={`notice notice-${n.tone} ${n.role === 'connection' ? 'connection-refused' : ''} ${n.at ? 'at-pointer' : ''}`}
      style={n.at ? pointerNoticePosition(n.at, { width: window.innerWidth, height: window.innerHeight }) : undefined}
      onClick={() => dismiss(n.id)}
    >
      {n.text}
    </div>
  );
}

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismiss);
  const atPointer = notices.filter((n) => n.at);
  const stacked = notices.filter((n) => !n.at);
  return (
    <>
      {atPointer.map((n) => (
        <NoticeBox key={n.id} n={n} dismiss={dismiss} />
      ))}
      {stacked.length > 0 && (
        <div className="notice-stack">
          {stacked.map((n) => (
            <NoticeBox key={n.id} n={n} dismiss={dismiss} />
          ))}
        </div>
      )}
    </>
  );
}
