/** Service events feeding the analysis panels: diagnostics of merge runs, and tasks (probes, node stages). */
import { service } from '../api/service.js';
import { onProjectReplaced } from '../commands/run-commands.js';
import { useBarrier } from './barrier-store.js';
import { useDiagnostics } from './diagnostics-store.js';
import { useSweep } from './sweep-store.js';
import { cancelTask, routeTaskEvents } from './task-client.js';
import { forgetCheck, installPostMergeCheck } from './check-commands.js';

const busy = (status: string): boolean => status === 'starting' || status === 'queued' || status === 'running';

/**
 * Another project: barrier previews, the sweep and the post-merge check describe the old graph (and
 * its node ids may name other nodes in the new one), so they go, their probes cancelled. The
 * diagnostics heatmap follows the run panel's job, which is reset too. Align and Fisher results stay:
 * they describe files on disk, checked again before they are used.
 */
function forgetAnalyses(): void {
  for (const r of Object.values(useBarrier.getState().runs)) if (r.taskId && busy(r.status)) void cancelTask(r.taskId).catch(() => false);
  useBarrier.getState().clear();
  const sweep = useSweep.getState().run;
  if (sweep?.taskId && busy(sweep.status)) void cancelTask(sweep.taskId).catch(() => false);
  useSweep.getState().clear();
  forgetCheck();
}

export function listenToAnalysis(): () => void {
  const offCheck = installPostMergeCheck();
  const offProject = onProjectReplaced(forgetAnalyses);
  const offEvents = service().onEvents((events) => {
    useDiagnostics.getState().ingest(events);
    routeTaskEvents(events);
  });
  return () => {
    offCheck();
    offProject();
    offEvents();
  };
}
