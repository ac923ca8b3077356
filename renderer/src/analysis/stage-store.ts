/** Issue 6's stages per node (Align, Fisher): running or not, progress, the last result or error. */
import { create } from 'zustand';
import type { AlignTaskResult, FisherPlan, FisherTaskResult, TaskEvent } from '../../../common/contract/tasks.js';

type StepEvent = Extract<TaskEvent, { type: 'step' }>;

export interface NodeStage {
  status: 'idle' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  taskId: string | null;
  step: StepEvent | null;
  result: AlignTaskResult | FisherTaskResult | null;
  error: string | null;
  /** Fisher nodes in estimate mode: the work an estimate would be. */
  plan: FisherPlan | null;
  planError: string | null;
}

const EMPTY: NodeStage = { status: 'idle', taskId: null, step: null, result: null, error: null, plan: null, planError: null };

export interface StageState {
  nodes: Record<string, NodeStage>;
  /**
   * Counts the clears: a stage or plan asked for before the last one belongs to another project's
   * graph (its node id may name another node now), so what it answers is not shown.
   */
  epoch: number;
  patch(nodeId: string, patch: Partial<NodeStage>): void;
  /** Forget every node's stage, result and plan (another project was opened). */
  clear(): void;
}

export const useStages = create<StageState>()((set, get) => ({
  nodes: {},
  epoch: 0,
  patch(nodeId, patch) {
    const cur = get().nodes[nodeId] ?? EMPTY;
    set({ nodes: { ...get().nodes, [nodeId]: { ...cur, ...patch } } });
  },
  clear() {
    set({ nodes: {}, epoch: get().epoch + 1 });
  },
}));

export function stageOfNode(nodeId: string): NodeStage {
  return useStages.getState().nodes[nodeId] ?? EMPTY;
}

export { EMPTY as EMPTY_STAGE };
