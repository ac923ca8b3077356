/**
 * The Electron checklist, checked on the shell's own code with a stand-in `electron` module (the
 * Electron binary is not available to tests): sandboxed, context-isolated window without Node
 * integration; a CSP without unsafe-eval; navigation, new windows and webviews denied; every
 * permission request denied; IPC answered only for our window's main frame on our page, with
 * every message validated against the contract; and the fuses set in electron-builder.yml.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  const appListeners = new Map<string, Handler[]>();
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
  const session = {
    permissionRequest: undefined as Handler | undefined,
    permissionCheck: undefined as Handler | undefined,
    headers: undefined as Handler | undefined,
  };
  const protocol = { schemes: [] as unknown[], handlers: new Map<string, Handler>() };
  return { handlers, appListeners, windows, session, protocol, sandboxEnabled: { value: false } };
});

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents = { mainFrame: { url: '' }, send: vi.fn(), on: vi.fn(), setWindowOpenHandler: vi.fn() };
    private readonly record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      fake.windows.push(this.record);
    }
    once(): void {}
    on(): void {}
    show(): void {}
    setTitle(): void {}
    async loadFile(file: string): Promise<void> {
      this.record.loaded.push(`file:${file}`);
    }
    async loadURL(url: string): Promise<void> {
      this.record.loaded.push(`url:${url}`);
    }
  }
  return {
    app: {
      isPackaged: false,
      on: (event: string, fn: Handler) => fake.appListeners.set(event, [...(fake.appListeners.get(event) ?? []), fn]),
      whenReady: () => Promise.resolve(),
      enableSandbox: () => {
        fake.sandboxEnabled.value = true;
      },
      quit: vi.fn(),
      getPath: () => tmpdir(),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => (fake.session.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Handler) => (fake.session.permissionCheck = fn),
        webRequest: { onHeadersReceived: (fn: Handler) => (fake.session.headers = fn) },
      },
    },
    ipcMain: { handle: (channel: string, fn: Handler) => fake.handlers.set(channel, fn), removeHandler: (c: string) => fake.handlers.delete(c) },
    shell: { openPath: vi.fn(async () => ''), showItemInFolder: vi.fn() },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    Menu: { buildFromTemplate: vi.fn(() => ({})), setApplicationMenu: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.protocol.schemes.push(...schemes),
      handle: (scheme: string, fn: Handler) => fake.protocol.handlers.set(scheme, fn),
    },
    // Stands in for Electron's file protocol: answers with the file URL it was asked for.
    net: { fetch: async (url: string) => new Response(url) },
    BrowserWindow,
  };
});

const configDir = mkdtempSync(join(tmpdir(), 'crucible-shell-'));
vi.mock('../../../electron/service/config-dir.js', () => ({ defaultConfigDir: () => configDir }));
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const { CONTENT_SECURITY_POLICY, denyNavigation, hardenSession, secureWebPreferences } = await import('../../../electron/shell/security.js');
const { installIpc } = await import('../../../electron/shell/ipc.js');
const { IPC } = await import('../../../common/contract/ipc-channels.js');
const { contentSecurityPolicy } = await import('../../../electron/web/http-handler.js');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
}

describe('window and session', () => {
  it('the window is sandboxed and context-isolated, without Node integration or webviews', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    expect(p).toMatchObject({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  for (const [where, csp] of [['the desktop window', CONTENT_SECURITY_POLICY], ['the web host', contentSecurityPolicy()]] as const) {
    it(`${where}'s CSP allows scripts only from the app itself, never eval`, () => {
      const d = directives(csp);
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*/);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('default-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
      expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    });
  }

  it('every permission request and check is denied, and every response gets the CSP', () => {
    hardenSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      const cb = vi.fn();
      fake.session.permissionRequest!({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(fake.session.permissionCheck!({}, permission)).toBe(false);
    }
    const cb = vi.fn();
    fake.session.headers!({ responseHeaders: { 'X-A': ['1'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('navigation, redirects, webviews and new windows are denied for every web contents', () => {
    denyNavigation();
    const listeners = new Map<string, Handler>();
    let openHandler: Handler | undefined;
    const contents = { on: (e: string, fn: Handler) => listeners.set(e, fn), setWindowOpenHandler: (fn: Handler) => (openHandler = fn) };
    for (const fn of fake.appListeners.get('web-contents-created') ?? []) fn({}, contents);
    for (const e of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      listeners.get(e)!(event, 'https://example.com/');
      expect(event.preventDefault, e).toHaveBeenCalled();
    }
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('main enables the sandbox for all renderers and loads only the local page, in a secure window', async () => {
    fake.windows.length = 0;
    await import('../../../electron/shell/main.js');
    await vi.waitFor(() => expect(fake.windows.length).toBe(1));
    expect(fake.sandboxEnabled.value).toBe(true);
    const w = fake.windows[0];
    expect(w.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    await vi.waitFor(() => expect(w.loaded.length).toBe(1));
    // From the app's own scheme, not file:// (the file protocol keeps no extra privileges).
    expect(w.loaded[0]).toBe('url:crucible://app/index.html');
    expect(fake.protocol.schemes).toEqual([{ scheme: 'crucible', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const serve = fake.protocol.handlers.get('crucible')!;
    const served = async (url: string) => {
      const r = (await serve({ url })) as Response;
      return { status: r.status, body: await r.text() };
    };
    const index = await served('crucible://app/index.html');
    expect(index.status).toBe(200);
    expect(index.body).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html$/);
    const renderer = index.body.replace(/index\.html$/, '');
    for (const url of ['crucible://app/../../package.json', 'crucible://app/%2e%2e/%2e%2e/package.json', 'crucible://app/..%2f..%2fpackage.json', 'crucible://other/index.html', 'crucible://app/.env']) {
      const r = await served(url);
      // Refused, or (dot segments resolved by the URL parser) a file inside the renderer folder.
      expect(r.status === 404 || r.body.startsWith(renderer), `${url} → ${r.status} ${r.body}`).toBe(true);
    }
    expect((await served('crucible://other/index.html')).status).toBe(404);
    expect((await served('crucible://app/..%2f..%2fpackage.json')).status).toBe(404);
  });
});

describe('IPC', () => {
  const PAGE = 'file:///app/dist/renderer/index.html';
  const mainFrame = { url: PAGE };
  const webContents = { mainFrame, send: vi.fn() };
  const win = { webContents, setTitle: vi.fn() };
  const calls: unknown[] = [];
  const service = {
    api: new Proxy({}, { get: (_t, method) => async (params: unknown) => (calls.push([method, params]), method === 'app.info' ? { version: '1', host: 'desktop', configDir: '/c', homeDir: '/h', defaultOutputDir: '/o' } : {}) }),
    onEvent: () => () => undefined,
  };

  beforeEach(() => {
    calls.length = 0;
    fake.handlers.clear();
    installIpc({ service: service as never, window: () => win as never, pageUrl: PAGE, setRecent: vi.fn() });
  });

  const invoke = (channel: string, event: unknown, message: unknown) => fake.handlers.get(channel)!(event, message) as Promise<{ ok: boolean; error?: { kind: string; message: string } }>;
  const ours = { sender: webContents, senderFrame: mainFrame };

  it('answers our window’s main frame on our page', async () => {
    const r = await invoke(IPC.service, ours, { id: 1, method: 'app.info', params: {} });
    expect(r.ok).toBe(true);
    expect(calls).toEqual([['app.info', {}]]);
    // The page's own URL with a hash or a query is the same page.
    mainFrame.url = `${PAGE}#/x`;
    try {
      expect((await invoke(IPC.service, ours, { id: 2, method: 'app.info', params: {} })).ok).toBe(true);
    } finally {
      mainFrame.url = PAGE;
    }
  });

  it('shell.reveal shows a file in its folder and never opens (runs) it; a folder is opened', async () => {
    const electron = (await import('electron')) as unknown as { shell: { openPath: ReturnType<typeof vi.fn>; showItemInFolder: ReturnType<typeof vi.fn> } };
    const file = join(configDir, 'program.sh');
    (await import('node:fs')).writeFileSync(file, '#!/bin/sh\n');
    expect((await invoke(IPC.desktop, ours, { id: 1, method: 'shell.reveal', params: { path: file } })).ok).toBe(true);
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith(file);
    expect(electron.shell.openPath).not.toHaveBeenCalled();
    expect((await invoke(IPC.desktop, ours, { id: 2, method: 'shell.reveal', params: { path: configDir } })).ok).toBe(true);
    expect(electron.shell.openPath).toHaveBeenCalledWith(configDir);
  });

  const strangers: [string, unknown][] = [
    ['another web contents', { sender: { mainFrame }, senderFrame: mainFrame }],
    ['a sub-frame of our window', { sender: webContents, senderFrame: { url: PAGE } }],
    ['our window showing another page', { sender: webContents, senderFrame: mainFrame, _url: 'https://evil.example/' }],
    ['no frame at all', { sender: webContents, senderFrame: null }],
  ];
  for (const [label, event] of strangers) {
    it(`refuses ${label}, on both channels, without calling the service`, async () => {
      const e = event as { _url?: string };
      const saved = mainFrame.url;
      if (e._url) mainFrame.url = e._url;
      try {
        for (const channel of [IPC.service, IPC.desktop]) {
          const r = await invoke(channel, event, { id: 1, method: channel === IPC.service ? 'app.info' : 'window.setTitle', params: channel === IPC.service ? {} : { title: 'x' } });
          expect(r.ok).toBe(false);
          expect(r.error?.message).toMatch(/untrusted sender/);
        }
        expect(calls).toEqual([]);
        expect(win.setTitle).not.toHaveBeenCalled();
      } finally {
        mainFrame.url = saved;
      }
    });
  }

  const bad: [string, string, unknown, RegExp][] = [
    ['an unknown field in the envelope', IPC.service, { id: 1, method: 'app.info', params: {}, extra: 1 }, /malformed/],
    ['an unknown field in the parameters', IPC.service, { id: 1, method: 'checkpoint.open', params: { path: '/m', sneaky: true } }, /invalid parameters/],
    ['an unknown method', IPC.service, { id: 1, method: 'fs.delete', params: {} }, /unknown method/],
    ['a method inherited from Object', IPC.service, { id: 1, method: 'constructor', params: {} }, /unknown method/],
    ['not an object', IPC.service, 'app.info', /malformed/],
    ['an unknown desktop method', IPC.desktop, { id: 1, method: 'shell.openExternal', params: { url: 'https://x' } }, /unknown method/],
    ['an unknown field in desktop parameters', IPC.desktop, { id: 1, method: 'shell.reveal', params: { path: '/x', app: 'sh' } }, /invalid parameters/],
    ['an unknown field in the desktop envelope', IPC.desktop, { id: 1, method: 'window.setTitle', params: { title: 'x' }, extra: 1 }, /malformed/],
  ];
  for (const [label, channel, message, why] of bad) {
    it(`refuses ${label}`, async () => {
      const r = await invoke(channel, ours, message);
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe('bad-request');
      expect(r.error?.message).toMatch(why);
      expect(calls).toEqual([]);
    });
  }
});

describe('packaging', () => {
  it('electron-builder.yml sets the fuses: no run-as-node, encrypted cookies, no NODE_OPTIONS or --inspect, app only from an integrity-checked asar, no file:// privileges', () => {
    const config = parseYaml(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as {
      electronFuses?: Record<string, boolean>;
      asar?: boolean | { disableIntegrity?: boolean };
    };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The integrity fuse needs the archive and its embedded hash.
    expect(config.asar).not.toBe(false);
    expect(typeof config.asar === 'object' ? config.asar.disableIntegrity : undefined).not.toBe(true);
  });

  it('every fuse name is one electron-builder knows (a misspelt key would be ignored, leaving the fuse as shipped)', () => {
    const config = parseYaml(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as { electronFuses: Record<string, boolean> };
    const scheme = JSON.parse(readFileSync(new URL('../../../node_modules/app-builder-lib/scheme.json', import.meta.url), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    for (const key of Object.keys(config.electronFuses)) expect(known, key).toContain(key);
  });
});
