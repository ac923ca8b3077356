import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createService } from '../../../electron/service/create-service.js';
import { startWebHost, type WebHost } from '../../../electron/web/web-host.js';
import { stubEngine } from '../service/stub-engine.js';

let dir: string;
let host: WebHost;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function ask(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData): void => {
      const m = JSON.parse(String(d)) as Record<string, unknown>;
      if (m.type === 'response') {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crucible-web-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Crucible</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  const service = createService({ engine: stubEngine(), configDir: join(dir, 'config'), assetsDir: join(dir, 'assets'), host: 'web', version: '9.9.9' });
  host = await startWebHost({ service, rendererDir: renderer, port: 0, token: 'secret-token' });
});

afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web host HTTP', () => {
  it('prints its URL on 127.0.0.1 with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=secret-token`);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
  });

  it('serves the page with the token, sets the token cookie and a strict CSP', async () => {
    const r = await get('/?token=secret-token');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Crucible</title>');
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(r.headers['set-cookie'])).toContain(`crucible_token_${host.port}=secret-token`);
    const asset = await get('/assets/app.js', { cookie: `crucible_token_${host.port}=secret-token` });
    expect(asset.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/?token=secret-token', { host: 'evil.example:80' })).status).toBe(403);
  });
});

describe('web host WebSocket', () => {
  it('refuses a socket without the token, or from another origin', async () => {
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws`)).rejects.toThrow(/403/);
    await expect(openSocket(`ws://127.0.0.1:${host.port}/ws?token=secret-token`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers a valid request and rejects unknown fields', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=secret-token`);
    try {
      const info = await ask(ws, { id: 1, method: 'app.info', params: {} });
      expect(info).toMatchObject({ id: 1, ok: true, result: { version: '9.9.9', host: 'web' } });
      const bad = await ask(ws, { id: 2, method: 'app.info', params: { extra: 1 } });
      expect(bad).toMatchObject({ id: 2, ok: false, error: { kind: 'bad-request' } });
      const notJson = await new Promise<Record<string, unknown>>((resolve) => {
        ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>));
        ws.send('{oops');
      });
      expect(notJson).toMatchObject({ ok: false, error: { kind: 'bad-request', message: 'message is not JSON' } });
    } finally {
      ws.close();
    }
  });

  it('reports service errors as structured errors naming the file', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=secret-token`);
    try {
      const r = await ask(ws, { id: 7, method: 'project.load', params: { path: join(dir, 'missing.crucible.json') } });
      expect(r).toMatchObject({ id: 7, ok: false, error: { kind: 'input', file: join(dir, 'missing.crucible.json') } });
    } finally {
      ws.close();
    }
  });
});
