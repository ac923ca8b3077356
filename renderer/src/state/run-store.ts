/** The run panel's state: pre-flight, the layer grid filling as tensors finish, progress, result. */
import { create } from 'zustand';
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { Preflight, RunEvent, RunResult } from '../../../common/contract/run.js';

export type RunStatus = 'idle' | 'checking' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
type Progress = Extract<RunEvent, { type: 'progress' }>;
/** The stage of a chain of merges running now. */
export type RunStage = Extract<RunEvent, { type: 'stage' }>;

export interface GridCell {
  total: number;
  done: number;
}

export function cellKey(group: string, layer: number | null): string {
  return `${group}|${layer === null ? 'x' : layer}`;
}

export interface RunState {
  status: RunStatus;
  jobId: string | null;
  message: string | null;
  preflight: Preflight | null;
  cells: Record<string, GridCell>;
  tensorsDone: number;
  progress: Progress | null;
  result: RunResult | null;
  warnings: string[];
  outputNodeId: string | null;
  mergeNodeId: string | null;
  /** The output folder as the service resolves it (absolute, '/' separators): errors naming it belong on the Output node. */
  out: string | null;
  /** A chain: the stage running (its grid and progress are shown), null for a single merge. */
  stage: RunStage | null;
  begin(outputNodeId: string, mergeNodeId: string, out?: string): void;
  checked(preflight: Preflight): void;
  queued(jobId: string): void;
  refuse(message: string): void;
  applyEvents(events: ServiceEvent[]): { failed?: { nodeId?: string; message: string; file?: string } };
  reset(): void;
}

function gridOf(p: Preflight): Record<string, GridCell> {
  const cells: Record<string, GridCell> = {};
  for (const t of p.tensorList) {
    const k = cellKey(t.group, t.layer);
    (cells[k] ??= { total: 0, done: 0 }).total += 1;
  }
  return cells;
}

const initial = {
  status: 'idle' as RunStatus,
  jobId: null,
  message: null,
  preflight: null,
  cells: {},
  tensorsDone: 0,
  progress: null,
  result: null,
  warnings: [],
  outputNodeId: null,
  mergeNodeId: null,
  out: null as string | null,
  stage: null as RunStage | null,
};

export const useRun = create<RunState>()((set, get) => ({
  ...initial,
  begin(outputNodeId, mergeNodeId, out) {
    set({ ...initial, status: 'checking', outputNodeId, mergeNodeId, out: out ?? null });
  },
  checked(preflight) {
    set({ preflight, cells: gridOf(preflight) });
  },
  queued(jobId) {
    set({ jobId, status: get().status === 'checking' ? 'queued' : get().status });
  },
  refuse(message) {
    set({ status: 'failed', message });
  },
  reset() {
    set({ ...initial });
  },
  /** One state update per batch of events: the grid re-renders once per batch, not per tensor. */
  applyEvents(events) {
    const s = get();
    let { cells, tensorsDone, progress, status, result, message, preflight, warnings, stage } = s;
    let cellsCopied = false;
    let failed: { nodeId?: string; message: string; file?: string } | undefined;
    for (const e of events) {
      if (!s.jobId || !('jobId' in e) || e.jobId !== s.jobId) continue;
      switch (e.kind) {
        case 'job.started':
          status = 'running';
          preflight = e.preflight;
          cells = gridOf(e.preflight);
          cellsCopied = true;
          break;
        case 'job.event':
          if (e.event.type === 'tensor') {
            if (!cellsCopied) {
              cells = { ...cells };
              cellsCopied = true;
            }
            const k = cellKey(e.event.group, e.event.layer);
            const c = cells[k] ?? { total: 0, done: 0 };
            cells[k] = { total: Math.max(c.total, c.done + 1), done: c.done + 1 };
            tensorsDone += 1;
          } else if (e.event.type === 'progress') progress = e.event;
          else if (e.event.type === 'warning') warnings = [...warnings, e.event.message];
          else if (e.event.type === 'stage') {
            // Each stage of a chain fills the grid again.
            stage = e.event;
            cells = Object.fromEntries(Object.entries(cells).map(([k, c]) => [k, { total: c.total, done: 0 }]));
            cellsCopied = true;
            tensorsDone = 0;
            progress = null;
          }
          break;
        case 'job.finished':
          status = 'done';
          result = e.result;
          break;
        case 'job.failed':
          status = 'failed';
          message = e.error.message;
          failed = { nodeId: e.error.nodeId, message: e.error.message, file: e.error.file };
          break;
        case 'job.cancelled':
          status = 'cancelled';
          message = 'Cancelled: nothing was written.';
          break;
      }
    }
    set({ cells, tensorsDone, progress, status, result, message, preflight, warnings, stage });
    return { failed };
  },
}));
