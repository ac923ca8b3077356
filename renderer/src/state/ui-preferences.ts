/**
 * The UI preferences kept across reloads (the page's localStorage: per origin, so per installation
 * of the desktop app, and per host address in a browser): what the user chose for the layout.
 * Anything unreadable in storage (another version's value, a hand edit) falls back to the default.
 */

export interface UiPreferences {
  /** The run panel shows only its header line (Run, Cancel and the run's state). */
  runPanelCollapsed: boolean;
  /** View → Minimap: the user wants the minimap (the canvas still hides it when too small for it). */
  minimap: boolean;
}

export const DEFAULT_UI_PREFERENCES: Readonly<UiPreferences> = { runPanelCollapsed: false, minimap: true };

export const UI_PREFERENCES_KEY = 'crucible.uiPreferences';

/** The part of Web Storage this needs (a test passes a Map-backed one). */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The page's storage, or null where there is none or it is refused (a sandboxed page, storage turned off). */
export function pageStorage(): PreferenceStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readUiPreferences(storage: PreferenceStorage | null): UiPreferences {
  let stored: unknown = null;
  try {
    stored = JSON.parse(storage?.getItem(UI_PREFERENCES_KEY) ?? 'null');
  } catch {
    stored = null;
  }
  const prefs = { ...DEFAULT_UI_PREFERENCES };
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return prefs;
  // Each preference is a boolean: one stored with another type keeps its default, the others still count.
  for (const key of Object.keys(DEFAULT_UI_PREFERENCES) as (keyof UiPreferences)[]) {
    const v = (stored as Record<string, unknown>)[key];
    if (typeof v === 'boolean') prefs[key] = v;
  }
  return prefs;
}

/** Stores the preferences; a storage that refuses (full, turned off) leaves them for this session only. */
export function writeUiPreferences(storage: PreferenceStorage | null, prefs: UiPreferences): void {
  try {
    storage?.setItem(UI_PREFERENCES_KEY, JSON.stringify(prefs));
  } catch {
    // Kept in memory for this session.
  }
}
