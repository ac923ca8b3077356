/** A stage's status line on its node: queued, progress, done (or up to date), failed; with Cancel. */
import { useStages, EMPTY_STAGE } from './stage-store.js';
import { cancelNodeStage } from './stage-commands.js';

export function StageStatus({ nodeId, doneText }: { nodeId: string; doneText: string }) {
  const st = useStages((s) => s.nodes[nodeId] ?? EMPTY_STAGE);
  const active = st.status === 'queued' || st.status === 'running';
  if (st.status === 'idle') return null;
  return (
    <div className="stage-status">
      <span role="status" aria-label="Stage status">
        {st.status === 'queued' && 'Queued…'}
        {st.status === 'running' && (st.step ? `${st.step.label}: ${st.step.done}/${st.step.total}` : 'Running…')}
        {st.status === 'done' && (st.result?.skipped ? `Up to date (${doneText} already there).` : `Done: ${doneText}.`)}
        {st.status === 'failed' && `Failed: ${st.error}`}
        {st.status === 'cancelled' && 'Cancelled.'}
      </span>
      {active && (
        <button className="nodrag" onClick={() => void cancelNodeStage(nodeId)}>
          Cancel
        </button>
      )}
    </div>
  );
}
