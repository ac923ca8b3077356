/**
 * Edits YAML source text so that it holds a new value, touching only what differs: a changed
 * scalar is rewritten where it stands, a map gains or loses single key lines, a list gains or
 * loses entries; comments, blank lines, quoting and indentation elsewhere stay byte for byte.
 * Situations it cannot edit safely (a removed key sharing its line with a `- `) throw
 * UnsupportedEditError so the caller falls back to writing the document anew.
 */
import { isCollection, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { deepEqual } from './deep-equal.js';
import { ATOMIC, type MapShape, type SeqShape, type Shape } from './document-shape.js';
import { toInlineText, toPyyamlText } from './pyyaml-safe.js';
import { columnOf, indentContinuation, indentLines, lineEndAfter, lineStart, startsLine, type TextEdit } from './source-text.js';

export class UnsupportedEditError extends Error {}

type Plain = unknown;
type YamlPair = Pair<Node, Node | null>;

export interface PatchContext {
  src: string;
  edits: TextEdit[];
}

function jsOf(node: Node | null | undefined): Plain {
  if (!node) return null;
  return (node as unknown as { toJSON(): Plain }).toJSON();
}

function keyText(pair: YamlPair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

function isPlainObject(v: Plain): v is Record<string, Plain> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rangeOf(node: Node): [number, number, number] {
  const r = node.range;
  if (!r) throw new UnsupportedEditError('a node without a source position');
  return r;
}

function isNullScalar(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** Whether an existing node already means `desired` (a bare `- ref` entry means `{model: ref}`). */
function sameValue(node: Node | null, desired: Plain, shape: Shape): boolean {
  let value = jsOf(node);
  if (shape.kind === 'map' && shape.fromScalar && node && isScalar(node)) value = shape.fromScalar(value);
  return deepEqual(value, desired);
}

/** Text of `desired` for the place of a scalar or flow node: one line. */
function replaceInline(ctx: PatchContext, node: Node, desired: Plain): void {
  const [start, end] = rangeOf(node);
  ctx.edits.push({ start, end, text: toInlineText(desired) });
}

/** `key: value` lines replacing a whole pair, at the key's column. */
function replacePair(ctx: PatchContext, pair: YamlPair, desired: Plain): void {
  const keyStart = rangeOf(pair.key)[0];
  if (!startsLine(ctx.src, keyStart)) throw new UnsupportedEditError(`'${keyText(pair)}' shares its line with a list dash`);
  const end = lineEndAfter(ctx.src, pair.value ? rangeOf(pair.value)[1] : rangeOf(pair.key)[1]);
  const text = indentLines(toPyyamlText({ [keyText(pair)]: desired }), columnOf(ctx.src, keyStart));
  ctx.edits.push({ start: lineStart(ctx.src, keyStart), end, text });
}

function deletePair(ctx: PatchContext, pair: YamlPair): void {
  const keyStart = rangeOf(pair.key)[0];
  if (!startsLine(ctx.src, keyStart)) throw new UnsupportedEditError(`'${keyText(pair)}' shares its line with a list dash`);
  const end = lineEndAfter(ctx.src, pair.value ? rangeOf(pair.value)[1] : rangeOf(pair.key)[1]);
  ctx.edits.push({ start: lineStart(ctx.src, keyStart), end, text: '' });
}

function insertAt(ctx: PatchContext, pos: number, text: string): void {
  const needsNewline = pos > 0 && ctx.src[pos - 1] !== '\n';
  ctx.edits.push({ start: pos, end: pos, text: (needsNewline ? '\n' : '') + text });
}

function patchValue(ctx: PatchContext, pair: YamlPair, desired: Plain, shape: Shape): void {
  const node = pair.value;
  if (sameValue(node, desired, shape)) return;
  if (node && shape.kind === 'map' && isMap(node) && isPlainObject(desired)) return patchMap(ctx, node, desired, shape);
  if (node && shape.kind === 'seq' && isSeq(node) && Array.isArray(desired)) return patchSeq(ctx, node, desired, shape);
  const inlineDesired = typeof desired !== 'object' || desired === null || (Array.isArray(desired) && desired.every((v) => typeof v !== 'object'));
  if (node && !isNullScalar(node) && ((isScalar(node) && inlineDesired) || (isCollection(node) && node.flow))) return replaceInline(ctx, node, desired);
  replacePair(ctx, pair, desired);
}

/** `{model: x}` as the bare `x` a flow list of models is usually written with. */
function shortForm(desired: Plain, shape: Shape): Plain {
  if (shape.kind !== 'map' || !shape.fromScalar || !isPlainObject(desired)) return desired;
  const keys = Object.keys(desired);
  return keys.length === 1 && deepEqual(shape.fromScalar(desired[keys[0]]), desired) ? desired[keys[0]] : desired;
}

/** A block map keeps its pairs; new keys go after the last one, at the column of the first. */
export function patchMap(ctx: PatchContext, map: YAMLMap, desired: Record<string, Plain>, shape: MapShape): void {
  const pairs = map.items as YamlPair[];
  const kept: Record<string, Plain> = {};
  for (const p of pairs) if (!(keyText(p) in desired) && !shape.deletable(keyText(p))) kept[keyText(p)] = jsOf(p.value);
  if (map.flow) return replaceInline(ctx, map, { ...desired, ...kept });
  if (pairs.length === 0) throw new UnsupportedEditError('an empty block map');

  const byKey = new Map(pairs.map((p) => [keyText(p), p]));
  const added: Record<string, Plain> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    const pair = byKey.get(key);
    if (pair) patchValue(ctx, pair, value, shape.fields[key] ?? ATOMIC);
    else added[key] = value;
  }
  // A key with no value (`parameters:` over a misindented block) means nothing: it stays.
  for (const p of pairs) if (!(keyText(p) in desired) && shape.deletable(keyText(p)) && !isNullScalar(p.value)) deletePair(ctx, p);
  if (Object.keys(added).length > 0) {
    const col = columnOf(ctx.src, rangeOf(pairs[0].key)[0]);
    insertAt(ctx, lineEndAfter(ctx.src, rangeOf(map)[1]), indentLines(toPyyamlText(added), col));
  }
}

/** The column of an entry's dash, when only spaces precede the dash on its line. */
function dashColumn(ctx: PatchContext, item: Node): number {
  const start = rangeOf(item)[0];
  const before = ctx.src.slice(lineStart(ctx.src, start), start);
  const m = /^([ \t]*)-[ \t]+$/.exec(before);
  if (!m) throw new UnsupportedEditError('a list entry not on its own dash line');
  return m[1].length;
}

function entryText(desired: Plain, dashCol: number): string {
  return indentLines(`- ${indentContinuation(toPyyamlText(desired), 2)}`, dashCol);
}

function patchItem(ctx: PatchContext, item: Node, desired: Plain, shape: Shape): void {
  if (sameValue(item, desired, shape)) return;
  if (shape.kind === 'map' && isMap(item) && !item.flow && isPlainObject(desired)) return patchMap(ctx, item, desired, shape);
  const [start, end] = rangeOf(item);
  const col = columnOf(ctx.src, start);
  const lines = toPyyamlText(desired).replace(/\n$/, '').split('\n');
  if (isCollection(item) && !item.flow) {
    ctx.edits.push({ start, end: lineEndAfter(ctx.src, end), text: indentContinuation(lines.join('\n'), col) + '\n' });
    return;
  }
  // A scalar or flow entry: its first line takes the old text's place (a comment after it stays there).
  ctx.edits.push({ start, end, text: lines[0] });
  if (lines.length > 1) insertAt(ctx, lineEndAfter(ctx.src, end), indentLines(lines.slice(1).join('\n'), col) + '\n');
}

/** Where an entry ends: after its last line and the comment lines indented under it. */
function entryEnd(ctx: PatchContext, item: Node, dashCol: number): number {
  let pos = lineEndAfter(ctx.src, rangeOf(item)[1]);
  for (;;) {
    const nl = ctx.src.indexOf('\n', pos);
    const line = ctx.src.slice(pos, nl < 0 ? ctx.src.length : nl);
    const m = /^([ \t]*)#/.exec(line);
    if (!m || m[1].length <= dashCol || nl < 0) return pos;
    pos = nl + 1;
  }
}

/**
 * Entries matched by identity in order: matched ones are edited in place, unmatched old ones
 * removed, new ones inserted after the entry they follow.
 */
export function patchSeq(ctx: PatchContext, seq: YAMLSeq, desired: Plain[], shape: SeqShape): void {
  const items = seq.items as (Node | null)[];
  if (seq.flow) return replaceInline(ctx, seq, desired.map((d) => shortForm(d, shape.item)));
  if (items.length === 0 || items.some((i) => i === null)) throw new UnsupportedEditError('an empty list entry');
  const nodes = items as Node[];
  const dashCol = dashColumn(ctx, nodes[0]);
  const ids = nodes.map((n) => shape.identity(jsOf(n)));
  const used = new Set<number>();
  let last = -1;
  let pending: Plain[] = [];
  const flushAfter = (index: number) => {
    if (pending.length === 0) return;
    const pos = index < 0 ? lineStart(ctx.src, rangeOf(nodes[0])[0]) : entryEnd(ctx, nodes[index], dashCol);
    ctx.edits.push({ start: pos, end: pos, text: (pos > 0 && ctx.src[pos - 1] !== '\n' ? '\n' : '') + pending.map((d) => entryText(d, dashCol)).join('') });
    pending = [];
  };
  for (const d of desired) {
    const id = shape.identity(d);
    const match = ids.findIndex((x, i) => i > last && !used.has(i) && x === id);
    if (match < 0) {
      pending.push(d);
      continue;
    }
    flushAfter(last);
    used.add(match);
    last = match;
    patchItem(ctx, nodes[match], d, shape.item);
  }
  flushAfter(last);
  nodes.forEach((n, i) => {
    if (used.has(i)) return;
    const start = lineStart(ctx.src, rangeOf(n)[0]);
    ctx.edits.push({ start, end: entryEnd(ctx, n, dashColumn(ctx, n)), text: '' });
  });
}
