/** The application menu: File, Edit, View. Each item sends its command id to the renderer, which runs it. */
import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { IPC, type MenuCommand, type MenuMessage } from '../../common/contract/desktop.js';

export function buildMenu(win: BrowserWindow, recent: string[]): Menu {
  const send = (message: MenuMessage): void => win.webContents.send(IPC.menu, message);
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({ label, accelerator, click: () => send({ command }) });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New', 'file.new', 'CmdOrCtrl+N'),
        item('Open…', 'file.open', 'CmdOrCtrl+O'),
        {
          label: 'Open Recent',
          submenu: recent.length ? recent.map((path) => ({ label: path, click: () => send({ command: 'file.openRecent', path }) })) : [{ label: '(none)', enabled: false }],
        },
        item('Open Model Folder…', 'file.openModel', 'CmdOrCtrl+Shift+M'),
        item('Open Recipe from Output Folder…', 'file.openFromOutput'),
        item('Open Demo Project', 'file.openDemo'),
        { type: 'separator' },
        item('Save', 'file.save', 'CmdOrCtrl+S'),
        item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Import mergekit YAML…', 'file.importYaml'),
        item('Export mergekit YAML…', 'file.exportYaml'),
        ...(process.platform === 'darwin' ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    {
      label: 'Edit',
      // Undo, copy and friends act on the graph; text fields keep their own through the page's shortcuts.
      submenu: [
        item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
        item('Redo', 'edit.redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        item('Cut', 'edit.cut', 'CmdOrCtrl+X'),
        item('Copy', 'edit.copy', 'CmdOrCtrl+C'),
        item('Paste', 'edit.paste', 'CmdOrCtrl+V'),
        item('Delete', 'edit.delete', 'Delete'),
        item('Select All', 'edit.selectAll', 'CmdOrCtrl+A'),
        { type: 'separator' },
        item('Connect Output To…', 'edit.connect', 'CmdOrCtrl+Shift+E'),
        item('Rename Node', 'edit.rename', 'F2'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Fit', 'view.fit', 'Shift+1'),
        item('Zoom In', 'view.zoomIn', 'CmdOrCtrl+='),
        item('Zoom Out', 'view.zoomOut', 'CmdOrCtrl+-'),
        { type: 'separator' },
        item('Run Panel', 'view.toggleRunPanel'),
        item('Minimap', 'view.toggleMinimap'),
        { type: 'separator' },
        item('Command Palette…', 'view.commandPalette', 'CmdOrCtrl+Shift+P'),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
