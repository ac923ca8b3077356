/**
 * The web host (built code) as an attacker on the network or in another browser tab sees it:
 * it listens on 127.0.0.1 only; every HTTP request and every WebSocket needs the per-run token
 * (the WebSocket in its URL, not only a cookie); foreign Host and Origin headers are refused;
 * only the renderer's own files are served (no traversal, no dotfiles, no symbolic links out);
 * and the socket survives any message thrown at it, answering each with a validation error.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT } from './cli.js';

type WebHostModule = typeof import('../../electron/web/web-host.js');
type ServiceModule = typeof import('../../electron/service/create-service.js');
type EngineModule = typeof import('../../electron/service/real-engine.js');

const TOKEN = 'k3y-Of_the-RUN-0123456789abcdef';
const SECRET = 'not-for-the-browser-4711';
let dir: string;
let host: Awaited<ReturnType<WebHostModule['startWebHost']>>;

/** A raw HTTP/1.1 exchange, so that paths reach the server exactly as written (no client normalising). */
function raw(request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const h = { host: `127.0.0.1:${host.port}`, connection: 'close', ...headers };
  return raw(`GET ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'crucible-web-security-'));
  const renderer = join(dir, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Crucible</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(renderer, '.env'), SECRET);
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await symlink(join(dir, 'secret.txt'), join(renderer, 'assets', 'link.txt'));
  await mkdir(join(dir, 'outside'));
  await writeFile(join(dir, 'outside', 'secret.txt'), SECRET);
  await symlink(join(dir, 'outside'), join(renderer, 'up'));
  const { startWebHost } = (await import(join(ROOT, 'dist/electron/web/web-host.js'))) as WebHostModule;
  const { createService } = (await import(join(ROOT, 'dist/electron/service/create-service.js'))) as ServiceModule;
  const { realEngine } = (await import(join(ROOT, 'dist/electron/service/real-engine.js'))) as EngineModule;
  const service = createService({ engine: realEngine(), configDir: join(dir, 'config'), assetsDir: join(dir, 'assets'), host: 'web', version: '0.0.0-test' });
  host = await startWebHost({ service, rendererDir: renderer, port: 0, token: TOKEN });
});

afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('listening', () => {
  it('binds 127.0.0.1 only: the port is closed on every other address of the machine', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) {
      const result = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port: host.port });
        s.once('connect', () => (s.destroy(), resolve('connected')));
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(result, address).not.toBe('connected');
    }
    expect(host.url.startsWith(`http://127.0.0.1:${host.port}/`)).toBe(true);
  });
});

describe('HTTP', () => {
  const cookie = () => ({ cookie: `crucible_token_${host.port}=${TOKEN}` });

  it('needs the token on every request: none, wrong, a prefix, another port’s cookie', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/assets/app.js')).status).toBe(403);
    expect((await get(`/?token=${TOKEN.slice(0, -1)}`)).status).toBe(403);
    expect((await get(`/?token=${TOKEN}x`)).status).toBe(403);
    expect((await get('/assets/app.js', { cookie: `crucible_token_1=${TOKEN}` })).status).toBe(403);
    expect((await get('/assets/app.js', cookie())).status).toBe(200);
  });

  it('refuses foreign Host headers (DNS rebinding), even with the token', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1.evil.example:${host.port}`, `localhost.evil.example:${host.port}`]) {
      expect((await get(`/?token=${TOKEN}`, { host: h })).status, h).toBe(403);
    }
  });

  it('serves only GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']) {
      const r = await raw(`${method} /?token=${TOKEN} HTTP/1.1\r\nhost: 127.0.0.1:${host.port}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      expect(r.status, method).toBe(405);
    }
  });

  it('serves only the renderer’s own files: no traversal, no dotfiles, no symbolic links out', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/.env',
      '/%2eenv',
      '/assets/link.txt',
      '/up/secret.txt',
      `/${dir}/secret.txt`,
      '//etc/passwd',
      '/index.html%00.js',
    ];
    for (const path of attempts) {
      const r = await get(path, cookie());
      expect(r.body, path).not.toContain(SECRET);
      expect(r.body, path).not.toMatch(/root:x:0:0/);
      expect([400, 403, 404], `${path} → ${r.status}`).toContain(r.status);
    }
  });
});

describe('WebSocket', () => {
  const url = () => `ws://127.0.0.1:${host.port}/ws`;

  it('needs the token in its URL: none, wrong, or only the cookie is refused', async () => {
    await expect(openSocket(url())).rejects.toThrow(/403/);
    await expect(openSocket(`${url()}?token=wrong`)).rejects.toThrow(/403/);
    await expect(openSocket(url(), { cookie: `crucible_token_${host.port}=${TOKEN}` })).rejects.toThrow(/403/);
    await expect(openSocket(`ws://127.0.0.1:${host.port}/other?token=${TOKEN}`)).rejects.toThrow(/403/);
  });

  it('refuses other origins and foreign hosts, even with the token', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`]) {
      await expect(openSocket(`${url()}?token=${TOKEN}`, { origin }), origin).rejects.toThrow(/403/);
    }
    await expect(openSocket(`${url()}?token=${TOKEN}`, { host: 'evil.example' })).rejects.toThrow(/403/);
  });

  it('answers every one of 1,000 random messages with a validation error and stays usable', async () => {
    const ws = await openSocket(`${url()}?token=${TOKEN}`);
    try {
      const responses: Record<string, unknown>[] = [];
      ws.on('message', (d) => responses.push(JSON.parse(String(d)) as Record<string, unknown>));
      const messages = fc.sample(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.json(),
          fc.record({ id: fc.nat(), method: fc.constantFrom('app.info', 'project.load', 'run.start', 'checkpoint.open', '__proto__', 'toString'), params: fc.anything() }).map((m) => JSON.stringify(m)),
        ),
        { numRuns: 1000, seed: 3 },
      );
      for (const m of messages) ws.send(m);
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(JSON.stringify({ id: 424242, method: 'app.info', params: {} }));
      await expect.poll(() => responses.some((r) => r.id === 424242), { timeout: 20_000 }).toBe(true);
      const ok = responses.filter((r) => r.ok === true);
      // Only well-formed app.info requests can succeed; everything else is refused as a bad request or input error.
      for (const r of responses.filter((x) => x.ok === false)) expect(['bad-request', 'input', 'validation', 'internal', 'cancelled']).toContain((r.error as { kind: string }).kind);
      expect(ok.every((r) => typeof r.result === 'object')).toBe(true);
      expect(responses.filter((r) => r.ok === false && (r.error as { kind: string }).kind === 'internal')).toEqual([]);
    } finally {
      ws.close();
    }
  }, 60_000);

  it('closes a connection that sends more than the message size limit, and keeps serving others', async () => {
    const ws = await openSocket(`${url()}?token=${TOKEN}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(17 * 1024 * 1024));
    expect(await closed).toBe(1009);
    // The host itself is still up.
    const again = await openSocket(`${url()}?token=${TOKEN}`);
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      again.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>));
      again.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    });
    again.close();
    expect(reply).toMatchObject({ id: 1, ok: true });
  });
});
