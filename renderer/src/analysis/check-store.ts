/** The latest post-merge check: which output, the setting written, and how the written model's loss compares with the preview's. */
import { create } from 'zustand';
import type { CheckTaskResult } from '../../../common/contract/tasks.js';

export interface CheckState {
  status: 'idle' | 'no-preview' | 'not-comparable' | 'running' | 'done' | 'failed' | 'cancelled';
  nodeId: string | null;
  out: string | null;
  /** "λ (scale) = 0.8". */
  setting: string | null;
  /** Where the preview's value came from: a point of the curve, or computed at the written setting. */
  source: 'point' | 'computed' | null;
  taskId: string | null;
  result: CheckTaskResult | null;
  error: string | null;
  /** Why the written model was not compared (not-comparable: a per-layer curve is no point of the preview's line). */
  note: string | null;
  set(patch: Partial<Omit<CheckState, 'set' | 'reset'>>): void;
  reset(): void;
}

const IDLE = { status: 'idle', nodeId: null, out: null, setting: null, source: null, taskId: null, result: null, error: null, note: null } as const;

export const useCheck = create<CheckState>()((set) => ({
  ...IDLE,
  set(patch) {
    set(patch);
  },
  reset() {
    set(IDLE);
  },
}));
