/** What the editor shows after reopening an output: a note per node whose input moved or is missing, and one summary line. */
import { describe, expect, it } from 'vitest';
import type { ReopenedInput } from '../../../common/contract/reopen.js';
import { notesFor, reopenSummary } from '../../../renderer/src/state/reopen-store.js';

const found: ReopenedInput = { model: '/m/base', recordedPath: '/m/base', status: 'found', path: '/m/base', nodeIds: ['base'] };
const moved: ReopenedInput = { model: '/m/a', recordedPath: '/m/a', status: 'moved', path: '/outs/moved/a', nodeIds: ['a', 'a2'] };
const missing: ReopenedInput = { model: '/m/b', recordedPath: '/m/b', status: 'missing', path: null, reason: 'gone', nodeIds: ['b'] };

describe('notesFor', () => {
  it('notes moved and missing inputs on every node standing for them; inputs found where recorded get none', () => {
    expect(notesFor([found, moved, missing])).toEqual({
      a: { status: 'moved', recordedPath: '/m/a', path: '/outs/moved/a' },
      a2: { status: 'moved', recordedPath: '/m/a', path: '/outs/moved/a' },
      b: { status: 'missing', recordedPath: '/m/b', path: '/m/b', reason: 'gone' },
    });
  });
});

describe('reopenSummary', () => {
  it('says how many inputs moved and how many are missing; an error tone when some are missing', () => {
    expect(reopenSummary('/outs/merged', [found])).toEqual({ text: 'Reopened the recipe of /outs/merged, every input where it was recorded.', tone: 'info' });
    expect(reopenSummary('/outs/merged', [found, moved])).toEqual({ text: 'Reopened the recipe of /outs/merged: 1 input found by header hash at a new location.', tone: 'info' });
    expect(reopenSummary('/outs/merged', [moved, missing, { ...missing, nodeIds: ['c'] }])).toEqual({
      text: 'Reopened the recipe of /outs/merged: 1 input found by header hash at a new location; 2 inputs not found: point their nodes at folders.',
      tone: 'error',
    });
  });
});
