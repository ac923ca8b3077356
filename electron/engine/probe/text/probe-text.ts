/** Probe texts: a file the user picks, or one of the short texts bundled in assets/probe-texts/. */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { projectRoot } from '../../built-file.js';
import { InputError } from '../../io/types.js';

export interface ProbeText {
  /** Shown in results (the file name for files). */
  name: string;
  text: string;
}

export async function readProbeText(path: string): Promise<ProbeText> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read the probe text (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  if (text.length === 0) throw new InputError(`${path}: the probe text is empty`, path);
  return { name: basename(path), text };
}

/** sha256 (hex) of the text's UTF-8 bytes: part of the probe cache key. */
export function textHash(t: ProbeText): string {
  return createHash('sha256').update(t.text, 'utf8').digest('hex');
}

/** The bundled probe texts' folder. */
export const BUNDLED_TEXTS_DIR = join(projectRoot, 'assets', 'probe-texts');

/** Paths of the bundled probe texts (prose, code, math), sorted by name. */
export function bundledProbeTextPaths(dir = BUNDLED_TEXTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}
