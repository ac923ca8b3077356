/** crucible://app/… → a file of the built renderer, and nothing outside it. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFile, PAGE_URL } from '../../../electron/shell/app-protocol.js';

const ROOT = resolve('/srv/crucible/dist/renderer');

describe('appFile', () => {
  it('maps the page and its assets into the renderer folder', () => {
    expect(PAGE_URL).toBe('crucible://app/index.html');
    expect(appFile(ROOT, PAGE_URL)).toBe(join(ROOT, 'index.html'));
    expect(appFile(ROOT, 'crucible://app/')).toBe(join(ROOT, 'index.html'));
    expect(appFile(ROOT, 'crucible://app/assets/index-3f2a.js?v=1#x')).toBe(join(ROOT, 'assets', 'index-3f2a.js'));
    expect(appFile(ROOT, 'crucible://app/assets/a%20b.css')).toBe(join(ROOT, 'assets', 'a b.css'));
  });

  it('dot segments the URL parser resolves stay inside the folder', () => {
    expect(appFile(ROOT, 'crucible://app/../../etc/passwd')).toBe(join(ROOT, 'etc', 'passwd'));
    expect(appFile(ROOT, 'crucible://app/assets/../index.html')).toBe(join(ROOT, 'index.html'));
  });

  it('refuses other schemes and hosts, encoded traversal, dotfiles, backslashes and NUL', () => {
    for (const url of [
      'file:///srv/crucible/dist/renderer/index.html',
      'https://app/index.html',
      'crucible://other/index.html',
      'crucible://app/..%2f..%2fpackage.json',
      'crucible://app/%2e%2e%2f%2e%2e%2fpackage.json',
      'crucible://app/assets/..%5c..%5cpackage.json',
      'crucible://app/.env',
      'crucible://app/.git/config',
      'crucible://app/index.html%00.js',
      'crucible://app/%E0%A4%A',
      'not a url',
    ]) {
      expect(appFile(ROOT, url), url).toBeNull();
    }
  });
});
