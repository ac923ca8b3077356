/** Service events feeding the analysis panels: diagnostics of merge runs, and tasks (probes, node stages). */
import { service } from '../api/service.js';
import { onProjectReplaced } from '../commands/run-commands.js';
import { useBarrier } from './barrier-store.js';
import { useDiagnostics } from './diagnostics-store.js';
import { useSweep } from './sweep-store.js';
import { cancelTask, routeTaskEvents } from './task-client.js';
import { forgetCheck, installPostMergeCheck } from './check-commands.js';
import { forgetStages } from './stage-commands.js';

const busy = (status: string): boolean => status === 'starting' || status === 'queued' || status === 'running';

/**
 * Another project: barrier previews, the sweep, the post-merge check and the Align and Fisher nodes'
 * results (objective before/after, units moved, estimate status and plan) describe the old graph (and
 * its node ids may name other nodes in the new one), so they go, their probes and stages cancelled.
 * The diagnostics heatmap follows the run panel's job, which is reset too. The files an Align or
 * Fisher node wrote stay on disk: a run checks them again before it uses them.
 */
function forgetAnalyses(): void {
  for (const r of Object.values(useBarrier.getState().runs)) if (r.taskId && busy(r.status)) void cancelTask(r.taskId).catch(() => false);
  useBarrier.getState().clear();
  const sweep = useSweep.getState().run;
  if (sweep?.taskId && busy(sweep.status)) void cancelTask(sweep.taskId).catch(() => false);
  useSweep.getState().clear();
  forgetCheck();
  forgetStages();
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
