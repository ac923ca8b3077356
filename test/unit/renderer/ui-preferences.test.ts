/** UI preferences kept across reloads: what was stored comes back; anything unreadable is the default. */
import { describe, expect, it } from 'vitest';
import { readUiPreferences, writeUiPreferences, UI_PREFERENCES_KEY, type PreferenceStorage } from '../../../renderer/src/state/ui-preferences.js';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('UI preferences', () => {
  it('start with the run panel expanded, with no storage or nothing stored', () => {
    expect(readUiPreferences(null)).toEqual({ runPanelCollapsed: false });
    expect(readUiPreferences(memoryStorage())).toEqual({ runPanelCollapsed: false });
  });

  it('read back what was written (a reload)', () => {
    const s = memoryStorage();
    writeUiPreferences(s, { runPanelCollapsed: true });
    expect(readUiPreferences(s)).toEqual({ runPanelCollapsed: true });
    writeUiPreferences(s, { runPanelCollapsed: false });
    expect(readUiPreferences(s)).toEqual({ runPanelCollapsed: false });
  });

  it('fall back to the default for a value that is not JSON, not an object, or of the wrong type', () => {
    for (const stored of ['{', '"yes"', 'null', '[true]', '{"runPanelCollapsed":"true"}', '{"runPanelCollapsed":1}']) {
      expect(readUiPreferences(memoryStorage({ [UI_PREFERENCES_KEY]: stored })), stored).toEqual({ runPanelCollapsed: false });
    }
  });

  it('keep working when the storage refuses to read or write', () => {
    const refusing: PreferenceStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => writeUiPreferences(refusing, { runPanelCollapsed: true })).not.toThrow();
    expect(readUiPreferences(refusing)).toEqual({ runPanelCollapsed: false });
  });
});
