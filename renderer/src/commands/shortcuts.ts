/** Keyboard shortcuts of the page (in Electron the menu's accelerators do this). */
import { COMMANDS } from './command-list.js';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function shortcutMatches(shortcut: string, e: KeyboardEvent): boolean {
  const parts = shortcut.split('+');
  const key = parts[parts.length - 1];
  const mod = parts.includes('Mod');
  const shift = parts.includes('Shift');
  if (mod !== (isMac ? e.metaKey : e.ctrlKey)) return false;
  if (shift !== e.shiftKey) return false;
  if (e.altKey) return false;
  if (key === 'Delete') return e.key === 'Delete' || e.key === 'Backspace';
  if (key === '1' && shift) return e.code === 'Digit1';
  if (key === '=') return e.key === '=' || e.key === '+';
  return e.key.toLowerCase() === key.toLowerCase();
}

function typingInField(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

/** Installs the handler; Mod+Y is Redo too. Editing shortcuts stay with text fields while one has focus. */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (typingInField(e)) {
      const fileOnly = ['file.save', 'file.saveAs', 'file.open'];
      const c = COMMANDS.find((x) => x.shortcut && fileOnly.includes(x.id) && shortcutMatches(x.shortcut, e));
      if (c) {
        e.preventDefault();
        void c.run();
      }
      return;
    }
    if ((isMac ? e.metaKey : e.ctrlKey) && !e.shiftKey && e.key.toLowerCase() === 'y') {
      e.preventDefault();
      void COMMANDS.find((c) => c.id === 'edit.redo')?.run();
      return;
    }
    const c = COMMANDS.find((x) => x.shortcut && shortcutMatches(x.shortcut, e));
    if (!c) return;
    e.preventDefault();
    void c.run();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
