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
