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
  patch(nodeId: string, patch: Partial<NodeStage>): void;
}

export const useStages = create<StageState>()((set, get) => ({
  nodes: {},
  patch(nodeId, patch) {
    const cur = get().nodes[nodeId] ?? EMPTY;
    set({ nodes: { ...get().nodes, [nodeId]: { ...cur, ...patch } } });
  },
}));

export function stageOfNode(nodeId: string): NodeStage {
  return useStages.getState().nodes[nodeId] ?? EMPTY;
}

export { EMPTY as EMPTY_STAGE };
