/** A recipe or project file as text: unreadable files and bytes that are not UTF-8 are input errors naming the file. */
import { readFile } from 'node:fs/promises';
import { InputError } from '../engine/io/types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function readTextFile(abs: string, what: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(abs);
  } catch (err) {
    throw new InputError(`cannot read the ${what} ${abs}: ${(err as Error).message}`, abs);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError(`${abs}: not valid UTF-8 text (is it the right file?)`, abs);
  }
}
