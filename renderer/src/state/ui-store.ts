/**
 * UI state: notices (refused connections, errors), the path prompt, app info, and the layout choices
 * (the minimap and the run panel collapsed, both kept across reloads by ui-preferences.ts).
 */
import { create } from 'zustand';
import type { CurveTarget } from './curve-slot.js';
import { noticeDuration } from './notice-duration.js';
import { pageStorage, readUiPreferences, writeUiPreferences } from './ui-preferences.js';

export interface Notice {
  id: number;
  text: string;
  tone: 'error' | 'info';
  /** Where to show it (client coordinates), e.g. at the refused handle. */
  at?: { x: number; y: number };
  role?: 'connection';
}

export interface PathPrompt {
  title: string;
  action: string;
  initial: string;
  /** Folders only (Open model folder) or files too. */
  resolve: (path: string | null) => void;
}

export interface UiState {
  connected: boolean;
  host: 'web' | 'desktop';
  homeDir: string;
  notices: Notice[];
  prompt: PathPrompt | null;
  recent: string[];
  curve: CurveTarget | null;
  /** Bumped when a project is opened: the canvas fits the view once its nodes are measured. */
  fitRequest: number;
  /** The command palette (View → Command palette…, Ctrl+Shift+P) is showing. */
  paletteOpen: boolean;
  /** The node whose title is being renamed (Edit → Rename node, F2, or a double-click on it), if any. */
  renaming: string | null;
  setRenaming(id: string | null): void;
  /** View → Minimap: the user wants the minimap (the canvas still hides it when too small for it). */
  minimap: boolean;
  /** View → Run panel, or its header's button: only the run panel's header line shows. Kept across reloads. */
  runPanelCollapsed: boolean;
  setPaletteOpen(open: boolean): void;
  toggleMinimap(): void;
  toggleRunPanel(): void;
  requestFit(): void;
  notify(text: string, tone?: Notice['tone'], extra?: Partial<Notice>): void;
  dismiss(id: number): void;
  askPath(p: Omit<PathPrompt, 'resolve'>): Promise<string | null>;
  closePrompt(path: string | null): void;
  set(patch: Partial<Pick<UiState, 'connected' | 'host' | 'homeDir' | 'recent' | 'curve'>>): void;
}

let nextId = 1;

export const useUi = create<UiState>()((set, get) => ({
  connected: false,
  host: 'web',
  homeDir: '',
  notices: [],
  renaming: null,
  setRenaming(id) {
    set({ renaming: id });
  },
  prompt: null,
  recent: [],
  curve: null,
  fitRequest: 0,
  paletteOpen: false,
  minimap: readUiPreferences(pageStorage()).minimap,
  runPanelCollapsed: readUiPreferences(pageStorage()).runPanelCollapsed,
  setPaletteOpen(open) {
    set({ paletteOpen: open });
  },
  toggleMinimap() {
    const minimap = !get().minimap;
    set({ minimap });
    const storage = pageStorage();
    writeUiPreferences(storage, { ...readUiPreferences(storage), minimap });
  },
  toggleRunPanel() {
    const runPanelCollapsed = !get().runPanelCollapsed;
    set({ runPanelCollapsed });
    const storage = pageStorage();
    writeUiPreferences(storage, { ...readUiPreferences(storage), runPanelCollapsed });
  },
  requestFit() {
    set({ fitRequest: get().fitRequest + 1 });
  },
  notify(text, tone = 'error', extra = {}) {
    const id = nextId++;
    set({ notices: [...get().notices.filter((n) => !(extra.role && n.role === extra.role)), { id, text, tone, ...extra }] });
    setTimeout(() => get().dismiss(id), noticeDuration(text, tone));
  },
  dismiss(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
  askPath(p) {
    return new Promise((resolve) => {
      get().prompt?.resolve(null);
      set({ prompt: { ...p, resolve } });
    });
  },
  closePrompt(path) {
    const p = get().prompt;
    set({ prompt: null });
    p?.resolve(path);
  },
  set(patch) {
    set(patch);
  },
}));
