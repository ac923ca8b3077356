/** The post-merge check beside the preview: the written model's loss, the preview's at the same setting, and whether they agree. */
import { nodeLabel } from '../../../common/graph/node-label.js';
import { useEditor } from '../state/editor-store.js';
import { fmtLoss } from './BarrierChart.js';
import { useCheck } from './check-store.js';
import { cancelTask } from './task-client.js';

export function CheckSection() {
  const c = useCheck();
  const node = useEditor((s) => s.nodes.find((n) => n.id === c.nodeId));
  if (c.status === 'idle') return null;
  const name = node ? nodeLabel(node.data) : 'the merge';
  const r = c.result;
  return (
    <section className={`check-section ${r ? (r.ok ? 'check-ok' : 'check-bad') : ''}`} aria-label="Post-merge check">
      <h3>Post-merge check</h3>
      {c.status === 'no-preview' && <p className="muted">Preview the barrier of {name} along a slider, then run: the written model is checked against the preview.</p>}
      {c.status === 'running' && (
        <div className="barrier-status">
          <span role="status" aria-label="Check status">
            Probing the written model{c.setting ? ` (${c.setting})` : ''}…
          </span>
          {c.taskId && <button onClick={() => void cancelTask(c.taskId as string)}>Cancel</button>}
        </div>
      )}
      {c.status === 'not-comparable' && (
        <p className="muted" role="status" aria-label="Check status">
          Not checked: {c.note}
        </p>
      )}
      {c.status === 'failed' && (
        <p className="run-message" role="status" aria-label="Check status">
          Check failed: {c.error}
        </p>
      )}
      {c.status === 'cancelled' && (
        <p className="muted" role="status" aria-label="Check status">
          Check cancelled.
        </p>
      )}
      {c.status === 'done' && r && (
        <>
          <p role="status" aria-label="Check status" className="check-verdict">
            {r.ok
              ? `Agrees: the written model matches the preview within ${r.tolerance} nats (largest difference ${r.maxDifference === null ? '—' : r.maxDifference.toExponential(2)}).`
              : `Error: ${r.message ?? 'the written model differs from the preview'}.`}
          </p>
          <table className="barrier-table">
            <thead>
              <tr>
                <th>Text</th>
                <th>Written</th>
                <th>Preview{c.setting ? ` (${c.setting})` : ''}</th>
                <th>Difference</th>
              </tr>
            </thead>
            <tbody>
              {r.written.map((w, i) => (
                <tr key={w.name}>
                  <td>{w.name}</td>
                  <td>{fmtLoss(w.loss)}</td>
                  <td>{fmtLoss(r.preview[i])}</td>
                  <td>{w.loss === null ? '—' : Math.abs(w.loss - r.preview[i]).toExponential(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted analysis-note">
            {c.out} · preview value {c.source === 'point' ? 'from the curve’s point' : 'computed at the written setting'}
          </p>
        </>
      )}
    </section>
  );
}
