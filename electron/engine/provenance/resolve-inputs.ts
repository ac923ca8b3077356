/**
 * A recorded output's inputs, found again: each at its recorded path when its files' header
 * sha256 values still match, else (it moved, or the path now holds something else) a file or
 * folder under the search folders whose files' header hashes match. LoRA adapters (kind 'lora')
 * are matched by their adapter_model.safetensors, Fisher files (kind 'fisher') as the one
 * .safetensors file they are.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { openCheckpoint } from '../io/checkpoint.js';
import { InputError, type WeightFileInfo } from '../io/types.js';
import { openLoraAdapter } from '../lora/open-adapter.js';
import { readSafetensorsHeader } from '../io/read-safetensors-header.js';
import { sha256File } from '../run/full-hash.js';
import { indexHeaders, SEARCH_DEPTH, type HeaderIndex } from './find-by-header.js';
import type { RecordedInput } from './read-provenance.js';
import type { RecordedInputKind } from './stage-record.js';

export interface ResolvedInput {
  model: string;
  /** 'lora' for a PEFT adapter, 'fisher' for a Fisher file. */
  kind?: RecordedInputKind;
  recordedPath: string;
  path: string;
  /** Found by header hash elsewhere than the recorded path. */
  moved: boolean;
}

/** An input found (at its recorded path, or moved) or not: what the app shows on the node concerned. */
export type LocatedInput =
  | (ResolvedInput & { found: true })
  | { model: string; kind?: RecordedInputKind; recordedPath: string; found: false; reason: string };

/** How messages name an input: "input 'x'", "Fisher file 'x'". */
export function inputName(input: { model: string; kind?: RecordedInputKind }): string {
  return `${input.kind === 'fisher' ? 'Fisher file' : 'input'} '${input.model}'`;
}

async function filesAt(recorded: RecordedInput, path: string): Promise<WeightFileInfo[]> {
  if (recorded.kind === 'lora') return (await openLoraAdapter(path)).weights.files;
  if (recorded.kind === 'fisher') return [(await readSafetensorsHeader(path)).info];
  return (await openCheckpoint(path)).files;
}

function sameHeaders(recorded: RecordedInput, hashes: readonly string[]): boolean {
  const want = recorded.files.map((f) => f.headerSha256).sort();
  const got = [...hashes].sort();
  return want.length === got.length && want.every((h, i) => h === got[i]);
}

/** Whether the checkpoint (or adapter) at `path` has exactly the recorded files' headers. */
async function matches(recorded: RecordedInput, path: string): Promise<boolean> {
  try {
    return sameHeaders(recorded, (await filesAt(recorded, path)).map((f) => f.headerSha256));
  } catch {
    return false;
  }
}

/** The recorded path was a single .safetensors file (not a folder), as a Fisher file always is. */
function wasFile(recorded: RecordedInput): boolean {
  return recorded.kind === 'fisher' || (recorded.files.length === 1 && /\.safetensors$/i.test(recorded.path));
}

/** How many trailing path components a candidate shares with the recorded path (models/a ~ elsewhere/a). */
function sharedTail(recordedPath: string, candidate: string): number {
  const a = recordedPath.split(/[\\/]+/).filter(Boolean).reverse();
  const b = candidate.split(/[\\/]+/).filter(Boolean).reverse();
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Every recorded full-content hash (crucible merge --full-hash) matches the candidate's files. */
async function sameContent(recorded: RecordedInput, candidate: string): Promise<boolean> {
  if (!recorded.files.every((f) => f.sha256 !== undefined)) return true;
  const files = await filesAt(recorded, candidate);
  const want = recorded.files.map((f) => f.sha256!).sort();
  const got = (await Promise.all(files.map((f) => sha256File(f.path)))).sort();
  return want.length === got.length && want.every((h, i) => h === got[i]);
}

/**
 * Checkpoints of one architecture often have identical headers, so a header hash can match
 * several candidates: the recorded full-content hashes decide when there are some, then the
 * candidate sharing the most trailing path components with the recorded path; a tie is an error.
 */
async function findMoved(recorded: RecordedInput, index: HeaderIndex): Promise<string | undefined> {
  const first = recorded.files[0];
  if (!first) return undefined;
  const candidates: string[] = [];
  for (const file of index.get(first.headerSha256) ?? []) {
    const candidate = wasFile(recorded) ? file : dirname(file);
    if (!candidates.includes(candidate) && (await matches(recorded, candidate)) && (await sameContent(recorded, candidate))) candidates.push(candidate);
  }
  if (candidates.length <= 1) return candidates[0];
  const scored = candidates.map((c) => ({ c, score: sharedTail(recorded.path, c) })).sort((x, y) => y.score - x.score);
  if (scored[0].score > scored[1].score) return scored[0].c;
  throw new InputError(
    `${inputName(recorded)} moved and several ${recorded.kind === 'fisher' ? 'files' : 'checkpoints'} have its header hash: ${candidates.join(', ')} (record full-content hashes with crucible merge --full-hash, or give a narrower --models-root)`,
    recorded.path,
  );
}

function notFoundReason(input: RecordedInput, searchRoots: readonly string[]): string {
  const why = existsSync(input.path) ? 'holds different files now' : 'no longer exists';
  const sha = input.files[0]?.headerSha256.slice(0, 16) ?? '';
  const what = input.kind === 'lora' ? 'adapter' : input.kind === 'fisher' ? 'Fisher file' : 'checkpoint';
  return `${inputName(input)} cannot be found: ${input.path} ${why}, and no ${what} with its header sha256 (${sha}…) is within ${SEARCH_DEPTH} folder levels of ${searchRoots.join(', ')} (give --models-root DIR)`;
}

/** Every input, found or not (never throws for one that is missing: the reason says why). */
export async function locateInputs(inputs: readonly RecordedInput[], searchRoots: readonly string[]): Promise<LocatedInput[]> {
  let index: HeaderIndex | undefined;
  const out: LocatedInput[] = [];
  for (const input of inputs) {
    const kind = input.kind === undefined ? {} : { kind: input.kind };
    if (existsSync(input.path) && (await matches(input, input.path))) {
      out.push({ model: input.model, ...kind, recordedPath: input.path, path: input.path, moved: false, found: true });
      continue;
    }
    index ??= await indexHeaders(searchRoots);
    let found: string | undefined;
    try {
      found = await findMoved(input, index);
    } catch (e) {
      out.push({ model: input.model, ...kind, recordedPath: input.path, found: false, reason: (e as Error).message });
      continue;
    }
    if (found === undefined) out.push({ model: input.model, ...kind, recordedPath: input.path, found: false, reason: notFoundReason(input, searchRoots) });
    else out.push({ model: input.model, ...kind, recordedPath: input.path, path: found, moved: true, found: true });
  }
  return out;
}

/** Every input found, or an InputError naming the first one that cannot be. */
export async function resolveInputs(inputs: readonly RecordedInput[], searchRoots: readonly string[]): Promise<ResolvedInput[]> {
  const located = await locateInputs(inputs, searchRoots);
  const missing = located.find((l) => !l.found);
  if (missing && !missing.found) throw new InputError(missing.reason, missing.recordedPath);
  return located.map((l) => {
    if (!l.found) throw new Error('unreachable');
    const { found: _found, ...resolved } = l;
    void _found;
    return resolved;
  });
}
