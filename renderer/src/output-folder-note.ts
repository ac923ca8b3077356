/**
 * Whether an Output folder is an input model's folder (Run refuses it) or lies inside one (Run
 * writes a new folder among that model's files, which stay unchanged): said on the Output node
 * before anything runs. Paths are resolved as the service resolves them (host-path.ts).
 */
import { hostDirname, isSameOrInsideHostPath, resolveHostPath } from './host-path.js';

export type OutputFolderNote = { kind: 'same' | 'inside'; input: string } | null;

/** The folder an input path names: a .safetensors file's folder, else the path itself. */
function inputFolder(path: string): string {
  return /\.safetensors$/i.test(path.trim()) ? hostDirname(path.trim()) : path;
}

export function outputFolderNote(folder: string, inputs: readonly string[], baseDir: string, homeDir: string): OutputFolderNote {
  if (!folder.trim()) return null;
  const out = resolveHostPath(folder, baseDir, homeDir);
  for (const raw of inputs) {
    if (!raw.trim()) continue;
    const input = resolveHostPath(inputFolder(raw), baseDir, homeDir);
    if (out === input) return { kind: 'same', input };
    if (isSameOrInsideHostPath(out, input)) return { kind: 'inside', input };
  }
  return null;
}

export function outputFolderNoteText(note: Exclude<OutputFolderNote, null>): string {
  return note.kind === 'same'
    ? `This is the folder of the input model ${note.input}: Run will refuse it. Choose another folder.`
    : `Inside the input model folder ${note.input}: the merge is written there as a new folder (the model's own files are not changed).`;
}
