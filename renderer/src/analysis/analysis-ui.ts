/** Which analysis panel is open beside the canvas: the live diagnostics heatmap, the barrier preview or the sweep. */
import { create } from 'zustand';

export type AnalysisTab = 'diagnostics' | 'barrier' | 'sweep';

export interface AnalysisUiState {
  tab: AnalysisTab | null;
  open(tab: AnalysisTab): void;
  toggle(tab: AnalysisTab): void;
  close(): void;
}

export const useAnalysisUi = create<AnalysisUiState>()((set, get) => ({
  tab: null,
  open(tab) {
    set({ tab });
  },
  toggle(tab) {
    set({ tab: get().tab === tab ? null : tab });
  },
  close() {
    set({ tab: null });
  },
}));
