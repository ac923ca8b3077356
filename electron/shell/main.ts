/**
 * The Electron shell: one window on the built renderer, the application menu, native dialogs, the
 * IPC adapter over the same service the web host uses. Thin on purpose: everything else is testable
 * without Electron.
 */
import { app, BrowserWindow, Menu } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfigDir } from '../service/config-dir.js';
import { createService } from '../service/create-service.js';
import { realEngine } from '../service/real-engine.js';
import { assetsDir, projectRoot, rendererDir } from '../web/app-paths.js';
import { readVersion } from '../web/version.js';
import { buildMenu } from './app-menu.js';
import { installIpc } from './ipc.js';
import { denyNavigation, hardenSession, secureWebPreferences } from './security.js';

const root = projectRoot(import.meta.url);
// Packaged: assets are unpacked from asar (the engine reads the demo checkpoints with plain fs).
const assets = app.isPackaged ? assetsDir(root).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1') : assetsDir(root);
const indexHtml = join(rendererDir(root), 'index.html');
const pageUrl = pathToFileURL(indexHtml).href;

let win: BrowserWindow | null = null;

denyNavigation();

async function start(): Promise<void> {
  hardenSession();
  const service = createService({ engine: realEngine(), configDir: defaultConfigDir(), assetsDir: assets, host: 'desktop', version: readVersion(root) });
  win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Crucible',
    icon: join(assets, 'icons', 'icon.png'),
    show: false,
    webPreferences: secureWebPreferences(join(root, 'dist', 'electron', 'shell', 'preload.cjs')),
  });
  const setRecent = (paths: string[]): void => {
    if (win) Menu.setApplicationMenu(buildMenu(win, paths));
  };
  setRecent([]);
  const uninstall = installIpc({ service, window: () => win, pageUrl, setRecent });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
    uninstall();
  });
  app.on('before-quit', () => void service.close());
  await win.loadFile(indexHtml);
}

app.enableSandbox();
void app.whenReady().then(start);
app.on('window-all-closed', () => app.quit());
