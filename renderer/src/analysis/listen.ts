/** Service events feeding the analysis panels: diagnostics of merge runs, and tasks (probes, node stages). */
import { service } from '../api/service.js';
import { useDiagnostics } from './diagnostics-store.js';
import { routeTaskEvents } from './task-client.js';
import { installPostMergeCheck } from './check-commands.js';

export function listenToAnalysis(): () => void {
  const offCheck = installPostMergeCheck();
  const offEvents = service().onEvents((events) => {
    useDiagnostics.getState().ingest(events);
    routeTaskEvents(events);
  });
  return () => {
    offCheck();
    offEvents();
  };
}
