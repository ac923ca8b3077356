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

/** Commands whose keys edit the text of a focused field (Mod+Z undoes typing there, Mod+A selects it). */
const TEXT_EDITING: ReadonlySet<string> = new Set(['edit.undo', 'edit.redo', 'edit.cut', 'edit.copy', 'edit.paste', 'edit.delete', 'edit.selectAll']);

function isField(el: Element | null): el is HTMLElement {
  if (!(el instanceof HTMLElement)) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/**
 * Takes focus from the field that has it, so that it finishes its edit as when the user clicks
 * elsewhere: the path field commits what was typed on blur. A command run without leaving the field
 * first (Save) would act on the graph without the typed text. Call before running a command.
 */
export function leaveTextField(): void {
  const el = document.activeElement;
  if (isField(el)) el.blur();
}

/**
 * Installs the handler; Mod+Y is Redo too. While a text field has focus, the editing shortcuts stay
 * with it (undoing typing, not the graph), as do keys without Mod (Delete, Shift+1 type there); the
 * other shortcuts (Save, Open, …) leave the field, then run.
 */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (isField(e.target as Element | null)) {
      const c = COMMANDS.find((x) => x.shortcut?.startsWith('Mod+') && !TEXT_EDITING.has(x.id) && shortcutMatches(x.shortcut, e));
      if (c) {
        e.preventDefault();
        leaveTextField();
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
