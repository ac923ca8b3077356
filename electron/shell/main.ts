/**
 * The Electron shell: one window on the built renderer, the application menu, native dialogs, the
 * IPC adapter over the same service the web host uses. Thin on purpose: everything else is testable
 * without Electron. The page comes from the crucible:// scheme (app-protocol.ts), never file://.
 */
import { app, BrowserWindow, Menu, net, protocol } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultConfigDir } from '../service/config-dir.js';
import { createService } from '../service/create-service.js';
import { realEngine } from '../service/real-engine.js';
import { assetsDir, projectRoot, rendererDir } from '../web/app-paths.js';
import { readVersion } from '../web/version.js';
import { APP_SCHEME, appFile, PAGE_URL } from './app-protocol.js';
import { buildMenu } from './app-menu.js';
import { installIpc } from './ipc.js';
import { denyNavigation, hardenSession, secureWebPreferences } from './security.js';

const root = projectRoot(import.meta.url);
// Packaged: assets are unpacked from asar (the engine reads the demo checkpoints with plain fs).
const assets = app.isPackaged ? assetsDir(root).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1') : assetsDir(root);
const pageUrl = PAGE_URL;

let win: BrowserWindow | null = null;

denyNavigation();
// Before ready: a standard, secure scheme, so the page has an origin of its own ('self' in the CSP).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves the built renderer's files, and nothing else, on crucible://app/. */
function serveRenderer(): void {
  const dir = rendererDir(root);
  protocol.handle(APP_SCHEME, (request) => {
    const file = appFile(dir, request.url);
    return file ? net.fetch(pathToFileURL(file).href) : new Response('Not found', { status: 404 });
  });
}

async function start(): Promise<void> {
  hardenSession();
  serveRenderer();
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
  await win.loadURL(pageUrl);
}

app.enableSandbox();
void app.whenReady().then(start);
app.on('window-all-closed', () => app.quit());
