/**
 * The page is served from a custom scheme (crucible://app/…) instead of file://, as Electron's
 * security checklist advises: the file protocol then needs no extra privileges (the
 * grantFileProtocolExtraPrivileges fuse is off) and the page can reach only the built renderer's
 * files, never the rest of the disk. This module only maps URLs to files (no Electron import).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'crucible';
export const APP_HOST = 'app';
export const PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The file under `root` that a request URL names, or null: another scheme or host, a path that
 * leaves `root` (also through encoded separators), a dotfile or dot-folder, or an unreadable URL.
 */
export function appFile(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...(segments.length ? segments : ['index.html']));
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}
