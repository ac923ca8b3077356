/** The run panel's state through a chain: each stage event names the stage and fills the grid again. */
import { describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { cellKey, useRun } from '../../../renderer/src/state/run-store.js';

const tensor = (name: string, layer: number): ServiceEvent => ({ kind: 'job.event', jobId: 'j', event: { type: 'tensor', name, layer, group: 'mlp' } });
const stage = (index: number, name: string | null): ServiceEvent => ({ kind: 'job.event', jobId: 'j', event: { type: 'stage', index, count: 2, name } });

describe('run state of a chain', () => {
  it('shows the stage running and counts each stage’s tensors from zero', () => {
    const run = useRun.getState();
    run.reset();
    run.begin('out', 'final');
    run.queued('j');
    const tensorList = [0, 1].map((layer) => ({ name: `l${layer}`, layer, group: 'mlp' as const, shape: [2], dtype: 'F32' }));
    const preflight = { tensors: 2, bytesToRead: 16, bytesToWrite: 8, memoryBudget: 1, freeDisk: 100, fitsOnDisk: true, warnings: [], tensorList };
    useRun.getState().applyEvents([{ kind: 'job.started', jobId: 'j', preflight }, stage(1, 'soup'), tensor('l0', 0), tensor('l1', 1)]);
    let s = useRun.getState();
    expect(s.stage).toMatchObject({ index: 1, count: 2, name: 'soup' });
    expect(s.tensorsDone).toBe(2);
    expect(s.cells[cellKey('mlp', 0)]).toEqual({ total: 1, done: 1 });
    useRun.getState().applyEvents([stage(2, null), tensor('l0', 0)]);
    s = useRun.getState();
    expect(s.stage).toMatchObject({ index: 2, name: null });
    expect(s.tensorsDone).toBe(1);
    expect(s.cells[cellKey('mlp', 0)]).toEqual({ total: 1, done: 1 });
    expect(s.cells[cellKey('mlp', 1)]).toEqual({ total: 1, done: 0 });
    // A new run starts without a stage.
    useRun.getState().begin('out', 'final');
    expect(useRun.getState().stage).toBe(null);
  });
});
