/** Service events feeding the analysis panels (diagnostics of merge runs). */
import { service } from '../api/service.js';
import { useDiagnostics } from './diagnostics-store.js';

export function listenToAnalysis(): () => void {
  return service().onEvents((events) => {
    useDiagnostics.getState().ingest(events);
  });
}
