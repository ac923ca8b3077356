import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { createEventBatcher } from '../../../electron/service/event-batcher.js';

const tensor = (jobId: string, i: number): ServiceEvent => ({ kind: 'job.event', jobId, event: { type: 'tensor', name: `t${i}`, layer: i, group: 'mlp' } });
const progress = (jobId: string, done: number): ServiceEvent => ({
  kind: 'job.event',
  jobId,
  event: { type: 'progress', tensorsDone: done, tensorsTotal: 100, bytesDone: done, bytesTotal: 100, bytesPerSecond: 1, elapsedSeconds: done, etaSeconds: null },
});
const describeEvent = (e: ServiceEvent): string => (e.kind === 'job.event' ? `${e.jobId}:${e.event.type}${e.event.type === 'progress' ? e.event.tensorsDone : e.event.type === 'tensor' ? e.event.name : ''}` : `${'jobId' in e ? e.jobId : ''}:${e.kind}`);

describe('service events on their way to a window', () => {
  let clock = 0;
  let sent: ServiceEvent[][];
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    sent = [];
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number): void => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };
  const make = () => createEventBatcher((events) => sent.push(events), { flushMs: 16, maxBatch: 4, progressMs: 50, now: () => clock });
  const flat = () => sent.flat().map(describeEvent);

  it('sends every tensor event, in order, in batches of at most maxBatch or after flushMs', () => {
    const b = make();
    for (let i = 0; i < 6; i++) b.push(tensor('a', i));
    expect(sent.map((s) => s.length)).toEqual([4]);
    advance(16);
    expect(sent.map((s) => s.length)).toEqual([4, 2]);
    expect(flat()).toEqual(['a:tensort0', 'a:tensort1', 'a:tensort2', 'a:tensort3', 'a:tensort4', 'a:tensort5']);
  });

  it("sends a job's progress at most every progressMs: the latest one, when its time comes", () => {
    const b = make();
    b.push(progress('a', 1)); // first: goes out with the next flush
    b.push(progress('a', 2)); // too soon: held
    b.push(progress('a', 3)); // replaces 2
    advance(16);
    expect(flat()).toEqual(['a:progress1']);
    advance(34); // 50 ms after the first: the held one goes out, with no other event to carry it
    expect(flat()).toEqual(['a:progress1', 'a:progress3']);
    advance(200);
    expect(flat()).toHaveLength(2);
  });

  it('sends the held progress before the job ends, and other jobs are throttled on their own', () => {
    const b = make();
    b.push(progress('a', 1));
    b.push(progress('b', 1));
    b.push(progress('a', 2));
    b.push(tensor('a', 9));
    b.push({ kind: 'job.finished', jobId: 'a', result: { out: '/o', tensors: 1, bytes: 1, seconds: 1, warnings: [] } });
    advance(16);
    expect(flat()).toEqual(['a:progress1', 'b:progress1', 'a:tensort9', 'a:progress2', 'a:job.finished']);
    // A new job with the same id (not a thing, but the throttle forgot it) starts afresh.
    b.push(progress('a', 5));
    advance(16);
    expect(flat().at(-1)).toBe('a:progress5');
  });

  it('thins a flood of progress to about one per progressMs and keeps every tensor', () => {
    const b = make();
    for (let i = 0; i < 1000; i++) {
      b.push(tensor('a', i));
      b.push(progress('a', i));
      advance(1);
    }
    advance(100);
    const events = flat();
    expect(events.filter((e) => e.includes('tensor'))).toHaveLength(1000);
    const progresses = events.filter((e) => e.includes('progress'));
    expect(progresses.length).toBeGreaterThanOrEqual(19);
    expect(progresses.length).toBeLessThanOrEqual(21);
    expect(progresses.at(-1)).toBe('a:progress999');
  });

  it('close drops what waits', () => {
    const b = make();
    b.push(tensor('a', 1));
    b.push(progress('a', 1));
    b.push(progress('a', 2));
    b.close();
    advance(1000);
    expect(sent).toEqual([]);
  });
});
