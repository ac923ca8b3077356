/** Path helpers for paths on the host (POSIX or Windows), without Node's path module. */
export function hostDirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return p[0];
  return p.slice(0, i);
}

export function hostBasename(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts.length ? parts[parts.length - 1] : p;
}

export function joinHost(dir: string, name: string): string {
  if (!dir) return name;
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + name : dir + sep + name;
}

/** Absolute on POSIX (/…) or Windows (C:\…, \\server\…), or home-relative (~): not resolved against a project's folder. */
export function isAnchoredHostPath(p: string): boolean {
  const t = p.trim();
  return t.startsWith('/') || t.startsWith('~') || /^[A-Za-z]:[\\/]/.test(t) || t.startsWith('\\\\');
}

/**
 * A host path with `.`, `..` and repeated separators resolved away and '/' separators, so that
 * paths the service resolved (path.resolve) and paths typed in the editor compare equal.
 */
export function normalizeHostPath(p: string): string {
  const slashed = p.trim().replace(/\\/g, '/');
  const root = /^[A-Za-z]:\//.test(slashed) ? slashed.slice(0, 3) : slashed.startsWith('//') ? '//' : slashed.startsWith('/') ? '/' : '';
  const parts: string[] = [];
  for (const seg of slashed.slice(root.length).split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '' && seg !== '.') parts.push(seg);
  }
  return root + parts.join('/');
}

/** A typed output folder as the service resolves it (resolveUserPath): `~` is the home folder, a relative path is in the project's folder. */
export function resolveHostPath(p: string, baseDir: string, homeDir: string): string {
  const t = p.trim();
  if (t === '~') return normalizeHostPath(homeDir);
  if (/^~[\\/]/.test(t)) return normalizeHostPath(`${homeDir}/${t.slice(2)}`);
  return normalizeHostPath(/^([\\/]|[A-Za-z]:[\\/])/.test(t) ? t : `${baseDir}/${t}`);
}

/** `path` is `folder` or inside it (both normalized). */
export function isSameOrInsideHostPath(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}
