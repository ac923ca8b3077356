/** UI preferences kept across reloads: what was stored comes back; anything unreadable is the default. */
import { describe, expect, it } from 'vitest';
import { readUiPreferences, writeUiPreferences, UI_PREFERENCES_KEY, type PreferenceStorage } from '../../../renderer/src/state/ui-preferences.js';

function memoryStorage(initial: Record<string, string> = {}): PreferenceStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('UI preferences', () => {
  it('start with the run panel expanded, with no storage or nothing stored', () => {
    expect(readUiPreferences(null)).toEqual({ runPanelCollapsed: false, minimap: true });
    expect(readUiPreferences(memoryStorage())).toEqual({ runPanelCollapsed: false, minimap: true });
  });

  it('read back what was written (a reload)', () => {
    const s = memoryStorage();
    writeUiPreferences(s, { runPanelCollapsed: true, minimap: false });
    expect(readUiPreferences(s)).toEqual({ runPanelCollapsed: true, minimap: false });
    writeUiPreferences(s, { runPanelCollapsed: false, minimap: true });
    expect(readUiPreferences(s)).toEqual({ runPanelCollapsed: false, minimap: true });
  });

  it('fall back to the default for a value that is not JSON, not an object, or of the wrong type', () => {
    for (const stored of ['{', '"yes"', 'null', '[true]', '{"runPanelCollapsed":"true"}', '{"runPanelCollapsed":1}']) {
      expect(readUiPreferences(memoryStorage({ [UI_PREFERENCES_KEY]: stored })), stored).toEqual({ runPanelCollapsed: false, minimap: true });
    }
  });

  it('keep a valid preference beside one of the wrong type, and read a file written before the minimap was kept', () => {
    expect(readUiPreferences(memoryStorage({ [UI_PREFERENCES_KEY]: '{"runPanelCollapsed":true,"minimap":"no"}' }))).toEqual({ runPanelCollapsed: true, minimap: true });
    expect(readUiPreferences(memoryStorage({ [UI_PREFERENCES_KEY]: '{"minimap":false}' }))).toEqual({ runPanelCollapsed: false, minimap: false });
    expect(readUiPreferences(memoryStorage({ [UI_PREFERENCES_KEY]: '{"runPanelCollapsed":true}' }))).toEqual({ runPanelCollapsed: true, minimap: true });
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
    expect(() => writeUiPreferences(refusing, { runPanelCollapsed: true, minimap: false })).not.toThrow();
    expect(readUiPreferences(refusing)).toEqual({ runPanelCollapsed: false, minimap: true });
  });
});
