/** The question Export asks when mergekit cannot express part of the graph: cancel, or export (with the gaps as comments or not). */
import { create } from 'zustand';

export type ExportGapChoice = 'cancel' | 'comments' | 'anyway';
export interface ExportGapItem {
  nodeId?: string;
  message: string;
}

interface ExportGapsState {
  open: { gaps: ExportGapItem[]; resolve: (c: ExportGapChoice) => void } | null;
  ask(gaps: ExportGapItem[]): Promise<ExportGapChoice>;
  answer(c: ExportGapChoice): void;
}

export const useExportGaps = create<ExportGapsState>((set, get) => ({
  open: null,
  ask(gaps) {
    return new Promise((resolve) => {
      get().open?.resolve('cancel');
      set({ open: { gaps, resolve } });
    });
  },
  answer(c) {
    const o = get().open;
    set({ open: null });
    o?.resolve(c);
  },
}));
