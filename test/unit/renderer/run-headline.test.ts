/** The run panel's words for the run's state, and the percentage its collapsed header line shows. */
import { describe, expect, it } from 'vitest';
import { runAdvance, runStatusText } from '../../../renderer/src/state/run-headline.js';
import type { RunState } from '../../../renderer/src/state/run-store.js';

type Seen = Parameters<typeof runAdvance>[0];
const preflight = (tensors: number) => ({ tensors }) as unknown as NonNullable<RunState['preflight']>;
const progress = (tensorsDone: number, tensorsTotal: number) => ({ type: 'progress', tensorsDone, tensorsTotal }) as unknown as NonNullable<RunState['progress']>;

describe('runAdvance', () => {
  it('counts the tensors seen against the pre-flight total, rounding the percentage down', () => {
    const s: Seen = { status: 'running', progress: null, preflight: preflight(12), tensorsDone: 3 };
    expect(runAdvance(s)).toEqual({ done: 3, total: 12, percent: 25 });
    expect(runAdvance({ ...s, preflight: preflight(3), tensorsDone: 2 }).percent).toBe(66);
  });

  it("takes the service's progress when it is further along, and its total", () => {
    expect(runAdvance({ status: 'running', progress: progress(9, 10), preflight: preflight(12), tensorsDone: 4 })).toEqual({ done: 9, total: 10, percent: 90 });
  });

  it('is 100% once done and 0% before anything is known', () => {
    expect(runAdvance({ status: 'done', progress: progress(5, 10), preflight: preflight(10), tensorsDone: 5 })).toEqual({ done: 10, total: 10, percent: 100 });
    expect(runAdvance({ status: 'checking', progress: null, preflight: null, tensorsDone: 0 })).toEqual({ done: 0, total: 0, percent: 0 });
    // A finished run is all of it even when no count of tensors ever came.
    expect(runAdvance({ status: 'done', progress: null, preflight: null, tensorsDone: 0 }).percent).toBe(100);
  });
});

describe('runStatusText', () => {
  it('says the state of the run', () => {
    expect(runStatusText('idle')).toBe('Ready.');
    expect(runStatusText('running')).toBe('Running…');
    expect(runStatusText('done')).toBe('Done.');
    expect(runStatusText('failed')).toBe('Failed.');
    expect(runStatusText('cancelled')).toBe('Cancelled.');
  });

  it('adds the percentage to a running merge when asked (the collapsed panel), and only to a running one', () => {
    expect(runStatusText('running', 42)).toBe('Running… 42%');
    expect(runStatusText('done', 100)).toBe('Done.');
    expect(runStatusText('failed', 30)).toBe('Failed.');
    expect(runStatusText('checking', 0)).toBe('Pre-flight: reading headers…');
  });
});
