/** The web host: HTTP for the renderer and a WebSocket for the service, on 127.0.0.1 only, behind a per-run token. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Service } from '../service/create-service.js';
import { createHttpHandler } from './http-handler.js';
import { hostAllowed, newToken, queryToken, sameToken } from './token.js';
import { attachSession } from './ws-session.js';

export const WS_PATH = '/ws';

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startWebHost(opts: { service: Service; rendererDir: string; port: number; token?: string }): Promise<WebHost> {
  const token = opts.token ?? newToken();
  let port = 0;
  const server: Server = createServer(createHttpHandler({ rendererDir: opts.rendererDir, token, port: () => port }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // The WebSocket needs the token in its URL (not the cookie): another site cannot know it.
    if (path !== WS_PATH || !hostAllowed(req, port) || !sameToken(queryToken(req), token)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, opts.service));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
