/**
 * Recipes written over an existing mergekit YAML file: only what changed is edited, so the
 * file's comments, key order, quoting and layout survive (patch-nodes.ts). The result is imported
 * again and must mean exactly the recipes given; if it does not, or the file cannot be edited in
 * place, the file is written anew and a warning says so.
 */
import { isMap, parseAllDocuments, type Document, type YAMLMap } from 'yaml';
import { getMethod } from '../../../../common/methods/registry.js';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { TOP_LEVEL_KEYS } from '../mergekit-keys.js';
import { parseMergekitYaml, type MergekitImport } from '../mergekit-yaml.js';
import { documentShape } from './document-shape.js';
import { mergekitObject, recipeAsExported, type MergekitObject } from './mergekit-object.js';
import { patchMap, type PatchContext } from './patch-nodes.js';
import { sameMerges } from './same-merge.js';
import { applyEdits, lineEndAfter, lineStart } from './source-text.js';
import { documentSpan } from '../document-span.js';
import { findSeedComment, seedComment } from '../seed-comment.js';
import { stageText, writeMergekitYaml, type MergekitYamlText } from './write-mergekit-yaml.js';

/** Keys a graph cannot express: kept from the existing file when the recipes leave them unset. */
export type PreservedKey = 'name' | 'tokenizer_source' | 'chat_template';

export interface UpdateOptions {
  preserve?: readonly PreservedKey[];
  /**
   * Keys kept for the last stage instead of `preserve` (a graph's final merge, whose Output node
   * sets the tokenizer source and chat template: cleared there means cleared in the file).
   */
  preserveLast?: readonly PreservedKey[];
  /** Names the file in warnings. */
  file?: string;
}

const PRESERVED_FIELD: Record<PreservedKey, 'name' | 'tokenizerSource' | 'chatTemplate'> = {
  name: 'name',
  tokenizer_source: 'tokenizerSource',
  chat_template: 'chatTemplate',
};

function preservedKeys(preserve: readonly PreservedKey[]): Set<string> {
  const keys = new Set<string>(preserve);
  if (keys.has('tokenizer_source')) keys.add('tokenizer');
  return keys;
}

function topLevel(root: YAMLMap): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const p of root.items) {
    const key = (p.key as { value?: unknown } | null)?.value;
    if (typeof key === 'string') out.set(key, (p.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? null);
  }
  return out;
}

/** The new document's keys spelled as the existing one spells them (tokenizer block, dtype). */
function spellAsExisting(value: MergekitObject, existing: Map<string, unknown>, kept: Set<string>): MergekitObject {
  const out: MergekitObject = { ...value };
  // mergekit's deprecated `model:` prefix of a tokenizer source means the same model.
  if (typeof out.tokenizer_source === 'string' && existing.get('tokenizer_source') === `model:${out.tokenizer_source}`) {
    out.tokenizer_source = `model:${out.tokenizer_source}`;
  }
  const block = existing.get('tokenizer');
  if (typeof block === 'object' && block !== null && !Array.isArray(block) && 'source' in block && !existing.has('tokenizer_source')) {
    const { source: _old, ...rest } = block as Record<string, MergekitObject[string]>;
    void _old;
    if (out.tokenizer_source !== undefined) {
      out.tokenizer = { ...rest, source: out.tokenizer_source };
      delete out.tokenizer_source;
    } else if (!kept.has('tokenizer') && Object.keys(rest).length > 0) out.tokenizer = rest;
  }
  if (out.out_dtype !== undefined && out.dtype === undefined && existing.get('dtype') === out.out_dtype && !existing.has('out_dtype')) {
    out.dtype = out.out_dtype;
    delete out.out_dtype;
  }
  return out;
}

function withPreserved(recipe: MergeRecipe, old: MergeRecipe | undefined, preserve: readonly PreservedKey[]): MergeRecipe {
  const out: MergeRecipe = { ...recipe };
  for (const key of preserve) {
    const field = PRESERVED_FIELD[key];
    if (out[field] === undefined && old?.[field] !== undefined) out[field] = old[field];
  }
  return out;
}

class NotKeptError extends Error {}

/**
 * The document's seed comment (seed-comment.ts) set to `seed`: its line rewritten, else a line added
 * above the document's first key; removed when the recipe has no seed.
 */
function patchSeedComment(ctx: PatchContext, [from, to]: [number, number], root: YAMLMap, seed: number | undefined): void {
  const found = findSeedComment(ctx.src.slice(from, to));
  if (found) {
    const start = from + found.start;
    const end = from + found.end;
    if (seed === undefined) ctx.edits.push({ start, end: lineEndAfter(ctx.src, end + 1), text: '' });
    else if (found.seed !== seed) ctx.edits.push({ start, end, text: seedComment(seed) });
    return;
  }
  if (seed === undefined) return;
  const at = lineStart(ctx.src, root.range?.[0] ?? from);
  ctx.edits.push({ start: at, end: at, text: `${seedComment(seed)}\n` });
}

function patchText(previous: string, old: MergekitImport, stages: readonly MergeRecipe[], opts: UpdateOptions): MergekitYamlText {
  const preserveOf = (i: number): readonly PreservedKey[] => (i === stages.length - 1 && opts.preserveLast ? opts.preserveLast : (opts.preserve ?? []));
  const documents = parseAllDocuments(previous) as Document.Parsed[];
  const used = documents.filter((d) => d.contents !== null);
  const ctx: PatchContext = { src: previous, edits: [] };
  const warnings: string[] = [];
  const expected: MergeRecipe[] = [];
  let appended = '';
  stages.forEach((stage, i) => {
    const doc = used[i];
    if (!doc) {
      const part = stageText(stage);
      warnings.push(...part.warnings);
      appended += `---\n${part.text}`;
      expected.push(recipeAsExported(stage));
      return;
    }
    const preserve = preserveOf(i);
    const kept = preservedKeys(preserve);
    const root = doc.contents;
    const method = getMethod(stage.mergeMethod);
    if (!isMap(root) || !method) throw new NotKeptError('not a mapping');
    const { value, warnings: w } = mergekitObject(stage);
    warnings.push(...w);
    const existing = topLevel(root);
    const desired = spellAsExisting(value, existing, kept);
    // A seed key the file already has (its own, or an older export's) is kept and updated in place;
    // otherwise the seed is a comment line (mergekit has no seed key).
    const seedKey = ['random_seed', 'seed'].find((k) => existing.has(k));
    if (seedKey !== undefined && stage.seed !== undefined) desired[seedKey] = stage.seed;
    else patchSeedComment(ctx, documentSpan(documents, doc), root, stage.seed);
    patchMap(ctx, root, desired, documentShape(method, (k) => TOP_LEVEL_KEYS.includes(k) && !kept.has(k)));
    expected.push(withPreserved(recipeAsExported(stage), old.recipes[i], preserve));
  });
  const extra = used[stages.length];
  if (extra) {
    const start = extra.range[0];
    ctx.edits.push({ start, end: previous.length, text: '' });
  }
  let text = applyEdits(previous, ctx.edits);
  if (appended) text = (text.endsWith('\n') || text === '' ? text : `${text}\n`) + appended;
  const check = parseMergekitYaml(text, opts.file ?? 'recipe.yaml');
  if (!sameMerges(check.recipes, expected)) throw new NotKeptError('the edited file does not import as the recipe');
  return { text, warnings };
}

export function updateMergekitYaml(previous: string, stages: readonly MergeRecipe[], opts: UpdateOptions = {}): MergekitYamlText {
  const file = opts.file ?? 'the existing file';
  let old: MergekitImport;
  try {
    old = parseMergekitYaml(previous, file);
  } catch {
    const fresh = writeMergekitYaml(stages);
    return { text: fresh.text, warnings: [...fresh.warnings, `${file} was not a mergekit recipe Crucible reads: it is replaced`] };
  }
  try {
    return patchText(previous, old, stages, opts);
  } catch {
    const fresh = writeMergekitYaml(stages);
    return { text: fresh.text, warnings: [...fresh.warnings, `${file} could not be edited in place: it is written anew (its comments are lost)`] };
  }
}
