/** The probe settings every probe of the app uses (texts, window, stride, K), and the bundled texts the host offers. */
import { create } from 'zustand';
import type { BundledText, ProbeSettings, ProbeTextRef } from '../../../common/contract/tasks.js';
import { service } from '../api/service.js';

export const DEFAULT_POINTS = 11;

export interface ProbeSettingsState {
  texts: ProbeTextRef[];
  window: number | undefined;
  stride: number | undefined;
  /** K, points of a barrier preview. */
  points: number;
  /** Several texts: one pass per text so each text's curve appears as soon as it is done. */
  textByText: boolean;
  bundled: BundledText[] | null;
  loadBundled(): Promise<void>;
  setTexts(texts: ProbeTextRef[]): void;
  set(patch: Partial<Pick<ProbeSettingsState, 'window' | 'stride' | 'points' | 'textByText'>>): void;
  settings(): ProbeSettings;
}

export function textRefLabel(r: ProbeTextRef): string {
  return r.kind === 'bundled' ? r.name : (r.path.split(/[\\/]/).pop() ?? r.path);
}

export const useProbeSettings = create<ProbeSettingsState>()((set, get) => ({
  // One short bundled text by default: a preview in seconds on small models; tick more for per-text curves.
  texts: [{ kind: 'bundled', name: 'prose.txt' }],
  window: undefined,
  stride: undefined,
  points: DEFAULT_POINTS,
  textByText: false,
  bundled: null,
  async loadBundled() {
    if (get().bundled) return;
    const { texts } = await service().call('probe.texts', {});
    set({ bundled: texts });
    // Keep the default only when the host has it.
    const names = new Set(texts.map((t) => t.name));
    const kept = get().texts.filter((t) => t.kind !== 'bundled' || names.has(t.name));
    if (kept.length === 0 && texts.length) set({ texts: [{ kind: 'bundled', name: texts[0].name }] });
    else set({ texts: kept });
  },
  setTexts(texts) {
    set({ texts });
  },
  set(patch) {
    set(patch);
  },
  settings() {
    const s = get();
    const out: ProbeSettings = { texts: s.texts };
    if (s.window !== undefined) out.window = s.window;
    if (s.stride !== undefined) out.stride = s.stride;
    if (s.textByText && s.texts.length > 1) out.textByText = true;
    return out;
  },
}));
