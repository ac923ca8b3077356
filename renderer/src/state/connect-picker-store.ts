/** The "Connect output to…" dialog: whose output, and the inputs it may feed (connection-targets.ts). */
import { create } from 'zustand';
import type { ConnectionTarget } from './connection-targets.js';

export interface ConnectPicker {
  sourceId: string;
  /** "Connect Model math to…" */
  title: string;
  targets: ConnectionTarget[];
}

export interface ConnectPickerState {
  picker: ConnectPicker | null;
  open(picker: ConnectPicker): void;
  close(): void;
}

export const useConnectPicker = create<ConnectPickerState>()((set) => ({
  picker: null,
  open(picker) {
    set({ picker });
  },
  close() {
    set({ picker: null });
  },
}));
