/** The in-page menu bar: the same File / Edit / View commands as the desktop application menu. */
import { useEffect, useState } from 'react';
import { COMMANDS, type CommandDef } from '../commands/command-list.js';
import { projectCommands } from '../commands/project-commands.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';

const MENUS = ['File', 'Edit', 'View'] as const;

function shortcutText(s: string | undefined): string {
  if (!s) return '';
  const mac = /Mac/.test(navigator.platform);
  return s.replace('Mod', mac ? '⌘' : 'Ctrl');
}

export function MenuBar() {
  const [open, setOpen] = useState<string | null>(null);
  const recent = useUi((s) => s.recent);
  const connected = useUi((s) => s.connected);
  const name = useEditor((s) => s.name);
  const dirty = useEditor((s) => s.dirty);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (!(e.target as HTMLElement).closest('.menubar')) setOpen(null);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);

  const run = (c: CommandDef): void => {
    setOpen(null);
    void c.run();
  };

  return (
    <header className="menubar" role="menubar">
      <span className="brand">Crucible</span>
      {MENUS.map((menu) => (
        <div key={menu} className="menu">
          <button role="menuitem" aria-haspopup="menu" aria-expanded={open === menu} onClick={() => setOpen(open === menu ? null : menu)}>
            {menu}
          </button>
          {open === menu && (
            <div role="menu" aria-label={menu} className="menu-items">
              {COMMANDS.filter((c) => c.menu === menu).map((c) => (
                <div key={c.id}>
                  {c.separatorBefore && <hr />}
                  <button role="menuitem" onClick={() => run(c)}>
                    <span>{c.label}</span>
                    <kbd>{shortcutText(c.shortcut)}</kbd>
                  </button>
                  {c.id === 'file.open' && (
                    <div className="submenu" aria-label="Open Recent">
                      <span className="submenu-title">Open Recent</span>
                      {recent.length === 0 && <span className="muted">(none)</span>}
                      {recent.map((p) => (
                        <button
                          key={p}
                          role="menuitem"
                          title={p}
                          onClick={() => {
                            setOpen(null);
                            void projectCommands.open(p);
                          }}
                        >
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
      <span className="project-name" title={useEditor.getState().path ?? ''}>
        {name}
        {dirty ? ' •' : ''}
      </span>
      <span className={`connection ${connected ? 'on' : 'off'}`}>{connected ? 'Connected' : 'Connecting…'}</span>
    </header>
  );
}
