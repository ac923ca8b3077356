/**
 * The UI preferences kept across reloads (the page's localStorage: per origin, so per installation
 * of the desktop app, and per host address in a browser): what the user chose for the layout.
 * Anything unreadable in storage (another version's value, a hand edit) falls back to the default.
 */

export interface UiPreferences {
  /** The run panel shows only its header line (Run, Cancel and the run's state). */
  runPanelCollapsed: boolean;
}

export const DEFAULT_UI_PREFERENCES: Readonly<UiPreferences> = { runPanelCollapsed: false };

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
  if (typeof stored === 'object' && stored !== null && 'runPanelCollapsed' in stored && typeof stored.runPanelCollapsed === 'boolean') {
    prefs.runPanelCollapsed = stored.runPanelCollapsed;
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
