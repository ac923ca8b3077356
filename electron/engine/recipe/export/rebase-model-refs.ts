/**
 * Relative model references are relative to the folder of the file that holds them (a project
 * resolves them against its own folder, the importer against the YAML's). Written into a file in
 * another folder, a relative path to a local model is rewritten relative to that folder; hub ids
 * stay as they are, and absolute paths too unless `absoluteInside` asks for those inside the new
 * folder to be written relative (an exported recipe then moves with its models, and a recipe
 * imported into the app, whose references were anchored to absolute paths, exports as written).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import type { MergeRecipe, ModelSpec, SliceSource } from '../../../../common/recipe/types.js';

export interface RebaseOptions {
  fromDir: string;
  toDir: string;
  /** References never rewritten (names of earlier stages). */
  keep?: ReadonlySet<string>;
  exists?: (path: string) => boolean;
  /** An absolute path inside toDir (the folder itself excluded) is written relative to it. */
  absoluteInside?: boolean;
}

function isLocalRelative(ref: string): boolean {
  return !isAbsolute(ref) && !win32.isAbsolute(ref) && ref !== '~' && !ref.startsWith('~/');
}

/** `./a/b` for a path inside dir, else undefined (dir itself, outside, or another drive). */
function insideRelative(path: string, dir: string): string | undefined {
  const rel = relative(resolve(dir), resolve(path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return `./${rel.split(sep).join('/')}`;
}

export function rebaseRef(ref: string, opts: RebaseOptions): string {
  if (opts.keep?.has(ref)) return ref;
  if (opts.absoluteInside && isAbsolute(ref)) return insideRelative(ref, opts.toDir) ?? ref;
  if (!isLocalRelative(ref)) return ref;
  const from = resolve(opts.fromDir);
  const to = resolve(opts.toDir);
  if (from === to) return ref;
  const target = resolve(from, ref);
  if (!(opts.exists ?? existsSync)(target)) return ref;
  const rel = relative(to, target) || '.';
  const posix = rel.split(sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}

function rebaseSpec<T extends ModelSpec | SliceSource>(spec: T, opts: RebaseOptions): T {
  const out = { ...spec, model: rebaseRef(spec.model, opts) };
  if (spec.lora !== undefined) out.lora = rebaseRef(spec.lora, opts);
  // A Fisher file (Fisher merging) is a path relative to the file too.
  if (spec.fisher !== undefined) out.fisher = rebaseRef(spec.fisher, opts);
  return out;
}

/** `base_model` may be written `model+lora`: each part is rebased. */
function rebaseJoined(ref: string, opts: RebaseOptions): string {
  const parts = ref.split('+');
  return parts.length === 2 ? parts.map((p) => rebaseRef(p, opts)).join('+') : rebaseRef(ref, opts);
}

export function rebaseModelRefs(recipe: MergeRecipe, opts: RebaseOptions): MergeRecipe {
  const out: MergeRecipe = { ...recipe };
  if (recipe.baseModel !== undefined) out.baseModel = rebaseJoined(recipe.baseModel, opts);
  if (recipe.models) out.models = recipe.models.map((m) => rebaseSpec(m, opts));
  if (recipe.slices) out.slices = recipe.slices.map((s) => ({ ...s, sources: s.sources.map((src) => rebaseSpec(src, opts)) }));
  const tok = recipe.tokenizerSource;
  if (tok !== undefined && tok !== 'base' && tok !== 'union') out.tokenizerSource = rebaseJoined(tok, opts);
  return out;
}
