/**
 * Diagnostics events of merge runs, kept per job (the latest few) so the heatmap can show the
 * current run's even when events arrive before the run panel knows its job id. One state update
 * per batch of events.
 */
import { create } from 'zustand';
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { DiagnosticsRecord } from './diagnostics-aggregate.js';

const KEEP_JOBS = 3;

export interface DiagnosticsState {
  /** Ask the engine for diagnostics on every run (one more read of the inputs and the output). */
  enabled: boolean;
  byJob: Record<string, DiagnosticsRecord[]>;
  /** Job ids, oldest first. */
  order: string[];
  setEnabled(on: boolean): void;
  ingest(events: readonly ServiceEvent[]): void;
}

export const useDiagnostics = create<DiagnosticsState>()((set, get) => ({
  enabled: true,
  byJob: {},
  order: [],
  setEnabled(on) {
    set({ enabled: on });
  },
  ingest(events) {
    let byJob: Record<string, DiagnosticsRecord[]> | null = null;
    let order = get().order;
    const copied = new Set<string>();
    for (const e of events) {
      if (e.kind !== 'job.event' || e.event.type !== 'diagnostics') continue;
      byJob ??= { ...get().byJob };
      if (!copied.has(e.jobId)) {
        copied.add(e.jobId);
        if (!byJob[e.jobId]) order = [...order, e.jobId];
        byJob[e.jobId] = [...(byJob[e.jobId] ?? [])];
      }
      const { type: _t, ...rec } = e.event;
      void _t;
      byJob[e.jobId].push(rec);
    }
    if (!byJob) return;
    while (order.length > KEEP_JOBS) {
      const [drop, ...rest] = order;
      delete byJob[drop];
      order = rest;
    }
    set({ byJob, order });
  },
}));
