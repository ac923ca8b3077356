/** What the run panel says about the run: its state in words, and how far it is (tensors, percent). */
import type { RunState, RunStatus } from './run-store.js';

const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
  idle: 'Ready.',
  checking: 'Pre-flight: reading headers…',
  queued: 'Queued…',
  running: 'Running…',
  done: 'Done.',
  failed: 'Failed.',
  cancelled: 'Cancelled.',
};

export interface RunAdvance {
  /** Tensors written (of the stage running, for a chain). */
  done: number;
  total: number;
  /** 0–100, rounded down: 100 only once the run is done. */
  percent: number;
}

/** How far the run is, from the service's progress and the tensors seen; done is all of it. */
export function runAdvance(s: Pick<RunState, 'status' | 'progress' | 'preflight' | 'tensorsDone'>): RunAdvance {
  const total = s.progress?.tensorsTotal ?? s.preflight?.tensors ?? 0;
  const done = s.status === 'done' ? total : Math.max(s.tensorsDone, s.progress?.tensorsDone ?? 0);
  const percent = s.status === 'done' ? 100 : total ? Math.min(100, Math.floor((100 * done) / total)) : 0;
  return { done, total, percent };
}

/**
 * The run's state in words. `percent`: given when the progress bar is not shown (the panel is
 * collapsed), so the header line says how far a running merge is.
 */
export function runStatusText(status: RunStatus, percent?: number): string {
  return status === 'running' && percent !== undefined ? `Running… ${percent}%` : STATUS_TEXT[status];
}
