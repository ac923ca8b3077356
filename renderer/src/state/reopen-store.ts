/**
 * What reopening an output's recipe found out about its inputs, per node: an input found by header
 * hash at a new location, or missing (the node keeps the recorded path). Transient: any other
 * project opened clears it, and a note shows only while the node still points where it was put.
 */
import { create } from 'zustand';
import type { ReopenedInput } from '../../../common/contract/reopen.js';

export interface InputNote {
  status: 'moved' | 'missing';
  recordedPath: string;
  /** The path the node was given when reopened (the new location, or the recorded path when missing). */
  path: string;
  reason?: string;
}

interface ReopenState {
  notes: Record<string, InputNote>;
  setNotes(notes: Record<string, InputNote>): void;
}

export const useReopen = create<ReopenState>()((set) => ({
  notes: {},
  setNotes(notes) {
    set({ notes });
  },
}));

/** Notes by node id for the inputs that moved or are missing (inputs found where recorded need none). */
export function notesFor(inputs: readonly ReopenedInput[]): Record<string, InputNote> {
  const notes: Record<string, InputNote> = {};
  for (const i of inputs) {
    if (i.status === 'found') continue;
    const note: InputNote =
      i.status === 'moved'
        ? { status: 'moved', recordedPath: i.recordedPath, path: i.path ?? i.recordedPath }
        : { status: 'missing', recordedPath: i.recordedPath, path: i.recordedPath, ...(i.reason === undefined ? {} : { reason: i.reason }) };
    for (const id of i.nodeIds) notes[id] = note;
  }
  return notes;
}

/** One line for the notice after reopening: how many inputs moved and how many are missing. */
export function reopenSummary(output: string, inputs: readonly ReopenedInput[]): { text: string; tone: 'info' | 'error' } {
  const moved = inputs.filter((i) => i.status === 'moved').length;
  const missing = inputs.filter((i) => i.status === 'missing').length;
  const parts: string[] = [];
  if (moved) parts.push(`${moved} input${moved === 1 ? '' : 's'} found by header hash at a new location`);
  if (missing) parts.push(`${missing} input${missing === 1 ? '' : 's'} not found: point ${missing === 1 ? 'its' : 'their'} node${missing === 1 ? '' : 's'} at ${missing === 1 ? 'a folder' : 'folders'}`);
  const tail = parts.length ? `: ${parts.join('; ')}` : ', every input where it was recorded';
  return { text: `Reopened the recipe of ${output}${tail}.`, tone: missing ? 'error' : 'info' };
}
