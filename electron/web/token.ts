/** The per-run secret in the URL, and how requests present it (query on first load and WebSocket, cookie for assets). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookies are not isolated by port: the name carries it so two hosts on one machine do not clash. */
export function cookieName(port: number): string {
  return `crucible_token_${port}`;
}

export function cookieToken(req: IncomingMessage, port: number): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export function queryToken(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
}

/** DNS-rebinding guard: only our own loopback origin may talk to us. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}
