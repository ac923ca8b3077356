/** Crucible's version, from package.json (read once). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../built-file.js';

let cached: string | undefined;

export function crucibleVersion(): string {
  if (!cached) {
    try {
      cached = String((JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0');
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}
