/**
 * Service events on their way to a window (WebSocket or IPC): sent in batches, at most every
 * `flushMs` (sooner when `maxBatch` are waiting), so a fast run does not flood the page. Progress
 * events are snapshots, so a job's progress is sent at most every `progressMs`: one arriving sooner
 * waits, replaced by any later one, and goes out when its time comes or just before the job ends.
 * Every other event (each tensor, warning, diagnostics) is sent, in order.
 */
import type { ServiceEvent } from '../../common/contract/events.js';

export interface EventBatcherOptions {
  flushMs?: number;
  maxBatch?: number;
  progressMs?: number;
  now?: () => number;
}

export interface EventBatcher {
  push(event: ServiceEvent): void;
  /** Drops what is waiting and stops the timer. */
  close(): void;
}

const ENDS = new Set<ServiceEvent['kind']>(['job.finished', 'job.failed', 'job.cancelled']);

function isProgress(e: ServiceEvent): e is Extract<ServiceEvent, { kind: 'job.event' }> {
  return e.kind === 'job.event' && e.event.type === 'progress';
}

export function createEventBatcher(send: (events: ServiceEvent[]) => void, opts: EventBatcherOptions = {}): EventBatcher {
  const flushMs = opts.flushMs ?? 16;
  const maxBatch = opts.maxBatch ?? 500;
  const progressMs = opts.progressMs ?? 50;
  const now = opts.now ?? (() => performance.now());
  let pending: ServiceEvent[] = [];
  /** The latest progress of a job not sent yet, and when that job's last progress went out. */
  const held = new Map<string, ServiceEvent>();
  const sentAt = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;

  const schedule = (at: number): void => {
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(flush, Math.max(0, at - now()));
  };

  const release = (jobId: string, t: number): void => {
    const e = held.get(jobId);
    if (!e) return;
    held.delete(jobId);
    sentAt.set(jobId, t);
    pending.push(e);
  };

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    timerAt = Infinity;
    const t = now();
    let next = Infinity;
    for (const jobId of [...held.keys()]) {
      const due = (sentAt.get(jobId) ?? -Infinity) + progressMs;
      if (due <= t) release(jobId, t);
      else next = Math.min(next, due);
    }
    if (pending.length) {
      const events = pending;
      pending = [];
      send(events);
    }
    if (next < Infinity) schedule(next);
  }

  return {
    push(e) {
      const t = now();
      if (isProgress(e)) {
        held.set(e.jobId, e);
        const due = (sentAt.get(e.jobId) ?? -Infinity) + progressMs;
        if (due <= t) release(e.jobId, t);
        else {
          schedule(due);
          return;
        }
      } else {
        if ('jobId' in e && ENDS.has(e.kind)) {
          release(e.jobId, t);
          sentAt.delete(e.jobId);
        }
        pending.push(e);
      }
      if (pending.length >= maxBatch) flush();
      else schedule(t + flushMs);
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = [];
      held.clear();
    },
  };
}
