/** The latest post-merge check: which output, the setting written, and how the written model's loss compares with the preview's. */
import { create } from 'zustand';
import type { CheckTaskResult } from '../../../common/contract/tasks.js';

export interface CheckState {
  status: 'idle' | 'no-preview' | 'running' | 'done' | 'failed' | 'cancelled';
  nodeId: string | null;
  out: string | null;
  /** "λ (scale) = 0.8". */
  setting: string | null;
  /** Where the preview's value came from: a point of the curve, or computed at the written setting. */
  source: 'point' | 'computed' | null;
  taskId: string | null;
  result: CheckTaskResult | null;
  error: string | null;
  set(patch: Partial<Omit<CheckState, 'set'>>): void;
}

export const useCheck = create<CheckState>()((set) => ({
  status: 'idle',
  nodeId: null,
  out: null,
  setting: null,
  source: null,
  taskId: null,
  result: null,
  error: null,
  set(patch) {
    set(patch);
  },
}));
