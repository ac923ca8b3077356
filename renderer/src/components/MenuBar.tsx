/**
 * The in-page menu bar: the same File / Edit / View commands as the desktop application menu, worked
 * as a WAI-ARIA menubar. On a menubar item: Left/Right/Home/End move along the bar, Enter/Space/Down
 * open its menu at the first item, Up at the last. In a menu: Up/Down (wrapping), Home/End, Left/Right
 * to the neighbouring menu, Enter/Space run the item, Escape closes it back to its menubar item, Tab
 * leaves. A click outside the menus closes them.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { COMMANDS, type CommandDef, type MenuName } from '../commands/command-list.js';
import { projectCommands } from '../commands/project-commands.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';

const MENUS: readonly MenuName[] = ['File', 'Edit', 'View'];

/** Which item of a menu opened from the keyboard takes the focus (none when opened with the mouse). */
type Landing = 'first' | 'last' | null;

const mac = /Mac/.test(navigator.platform);

function shortcutText(s: string | undefined): string {
  return s ? s.replace('Mod', mac ? '⌘' : 'Ctrl') : '';
}

/** The shortcut as aria-keyshortcuts spells it; the item's name stays its label (the <kbd> is hidden from it). */
function ariaShortcut(s: string | undefined): string | undefined {
  return s?.replace('Mod', mac ? 'Meta' : 'Control');
}

/** `i` moved by `step` in a ring of `n`. */
function ring(i: number, step: number, n: number): number {
  return (((i + step) % n) + n) % n;
}

function itemsOf(menu: HTMLElement | null): HTMLElement[] {
  return menu ? [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')] : [];
}

function focusItem(menu: HTMLElement | null, where: Landing): void {
  const items = itemsOf(menu);
  if (where) items[where === 'first' ? 0 : items.length - 1]?.focus();
}

/** A click was made with the keyboard (Enter, Space) or by assistive technology rather than a pointer. */
function fromKeyboard(e: MouseEvent): boolean {
  return e.detail === 0;
}

export function MenuBar() {
  const [open, setOpen] = useState<MenuName | null>(null);
  /** The menubar item Tab reaches (roving tabindex: the bar is one stop in the tab order). */
  const [current, setCurrent] = useState(0);
  const bar = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const triggers = useRef<(HTMLButtonElement | null)[]>([]);
  const landing = useRef<Landing>(null);
  const recent = useUi((s) => s.recent);
  const connected = useUi((s) => s.connected);
  const name = useEditor((s) => s.name);
  const dirty = useEditor((s) => s.dirty);

  useEffect(() => {
    if (!open) return;
    const outside = (e: Event): boolean => !(e.target instanceof Node && bar.current?.contains(e.target));
    const onDown = (e: PointerEvent): void => {
      if (outside(e)) setOpen(null);
    };
    // The focus went elsewhere (Tab, a shortcut opening a dialog): the menu is no longer being used.
    const onFocus = (e: FocusEvent): void => {
      if (outside(e)) setOpen(null);
    };
    // Wherever the focus is (a browser may not focus a clicked button), unless a dialog took the key.
    const onKey = (e: globalThis.KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      triggers.current[MENUS.indexOf(open)]?.focus();
      setOpen(null);
    };
    // Capture phase: the canvas pane stops mouse-downs from bubbling (its pan and zoom), so a listener
    // on the way up never heard a click on the canvas and the menu stayed open.
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('focusin', onFocus);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown, true);
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  // A menu opened from the keyboard exists only after this render: focus its item now.
  useLayoutEffect(() => {
    focusItem(menu.current, landing.current);
    landing.current = null;
  }, [open]);

  const openMenu = (i: number, where: Landing): void => {
    setCurrent(i);
    if (open === MENUS[i]) focusItem(menu.current, where);
    else {
      landing.current = where;
      setOpen(MENUS[i]);
    }
  };

  const openIndex = open ? MENUS.indexOf(open) : -1;

  const close = (refocus: boolean): void => {
    if (refocus) triggers.current[openIndex]?.focus();
    setOpen(null);
  };

  const moveAlongBar = (i: number): void => {
    setCurrent(i);
    triggers.current[i]?.focus();
  };

  const onTriggerKey = (i: number, e: KeyboardEvent<HTMLButtonElement>): void => {
    // Enter and Space are left to the button: they click it (see onTriggerClick). Escape is the document listener's.
    const n = MENUS.length;
    const moves: Partial<Record<string, number>> = { ArrowRight: ring(i, 1, n), ArrowLeft: ring(i, -1, n), Home: 0, End: n - 1 };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      moveAlongBar(to);
      // An open menu follows the focus along the bar, as in desktop menu bars.
      if (open) setOpen(MENUS[to]);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openMenu(i, e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onTriggerClick = (i: number, e: MouseEvent): void => {
    if (fromKeyboard(e)) openMenu(i, 'first');
    else if (open === MENUS[i]) setOpen(null);
    else openMenu(i, null);
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = itemsOf(menu.current);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const n = items.length;
    const moves: Partial<Record<string, number>> = { ArrowDown: ring(at, 1, n), ArrowUp: at < 0 ? n - 1 : ring(at, -1, n), Home: 0, End: n - 1 };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      items[to]?.focus();
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      openMenu(ring(openIndex, e.key === 'ArrowRight' ? 1 : -1, MENUS.length), 'first');
    } else if (e.key === 'Tab') {
      // Tab goes on from the menubar item, past the bar (whose other items are out of the tab order);
      // the focus leaving the bar closes the menu.
      triggers.current[openIndex]?.focus();
    }
  };

  /** Closed first, so a command that opens a dialog finds the page as it was (and the dialog keeps the focus). */
  const activate = (e: MouseEvent, action: () => void | Promise<void>): void => {
    close(fromKeyboard(e));
    void action();
  };

  const item = (c: CommandDef) => (
    <button role="menuitem" tabIndex={-1} aria-keyshortcuts={ariaShortcut(c.shortcut)} onClick={(e) => activate(e, c.run)}>
      <span>{c.label}</span>
      <kbd aria-hidden>{shortcutText(c.shortcut)}</kbd>
    </button>
  );

  return (
    <header className="menubar">
      <span className="brand">Crucible</span>
      <div ref={bar} role="menubar" aria-label="Main menu" className="menus">
        {MENUS.map((m, i) => (
          <div key={m} role="none" className="menu">
            <button
              ref={(el) => {
                triggers.current[i] = el;
              }}
              role="menuitem"
              aria-haspopup="menu"
              aria-expanded={open === m}
              tabIndex={i === current ? 0 : -1}
              onFocus={() => setCurrent(i)}
              onKeyDown={(e) => onTriggerKey(i, e)}
              onClick={(e) => onTriggerClick(i, e)}
            >
              {m}
            </button>
            {open === m && (
              <div ref={menu} role="menu" aria-label={m} className="menu-items" onKeyDown={onMenuKey}>
                {COMMANDS.filter((c) => c.menu === m).map((c) => (
                  <div key={c.id} role="none">
                    {c.separatorBefore && <hr />}
                    {item(c)}
                    {c.id === 'file.open' && (
                      <div className="submenu" role="group" aria-label="Open Recent">
                        <span className="submenu-title">Open Recent</span>
                        {recent.length === 0 && <span className="muted">(none)</span>}
                        {recent.map((p) => (
                          <button key={p} role="menuitem" tabIndex={-1} title={p} onClick={(e) => activate(e, () => projectCommands.open(p))}>
                            {p.split(/[\\/]/).pop()}
                          </button>
                        ))}
                      </div>
                    )}
                  </div>
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
      <span className="project-name" title={useEditor.getState().path ?? ''}>
        {name}
        {dirty ? ' •' : ''}
      </span>
      <span className={`connection ${connected ? 'on' : 'off'}`}>{connected ? 'Connected' : 'Connecting…'}</span>
    </header>
  );
}
