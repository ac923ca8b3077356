/** HTTP side of the web host: the built renderer, behind the token, with a strict CSP. */
import { realpathSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import sirv from 'sirv';
import { cookieName, cookieToken, hostAllowed, queryToken, sameToken } from './token.js';

export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React Flow positions nodes with inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export function createHttpHandler(opts: { rendererDir: string; token: string; port: () => number }) {
  const serve = sirv(opts.rendererDir, { dev: false, etag: true, single: false, dotfiles: false });
  const root = realpathSync(opts.rendererDir);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const port = opts.port();
    if (!hostAllowed(req, port)) return refuse(res, 403, 'Forbidden: unexpected Host header.');
    const fromQuery = sameToken(queryToken(req), opts.token);
    if (!fromQuery && !sameToken(cookieToken(req, port), opts.token)) {
      return refuse(res, 403, 'Forbidden: missing or wrong token. Open the URL that `npm run web` printed.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    res.setHeader('content-security-policy', contentSecurityPolicy());
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    if (fromQuery) res.setHeader('set-cookie', `${cookieName(port)}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`);
    if (!insideRoot(root, req.url ?? '/')) return refuse(res, 404, 'Not found.');
    serve(req, res, () => refuse(res, 404, 'Not found.'));
  };
}

/** The requested file, symbolic links resolved, is inside the renderer folder (or does not exist). */
function insideRoot(root: string, url: string): boolean {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://127.0.0.1').pathname);
  } catch {
    return false;
  }
  let real: string;
  try {
    real = realpathSync(join(root, normalize(pathname)));
  } catch {
    return true; // nothing there: sirv answers 404 (or its own index.html)
  }
  return real === root || real.startsWith(root + sep);
}
