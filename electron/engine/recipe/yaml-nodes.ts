/** Small typed readers over yaml's nodes, failing at the node's position. */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ImportContext } from './import-context.js';

export type YamlPair = Pair<Node, Node | null>;

export function pairsOf(map: YAMLMap): YamlPair[] {
  return map.items as YamlPair[];
}

export function keyOf(pair: YamlPair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

export function isNullNode(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** A scalar as text (numbers and booleans written unquoted become their text). */
export function readString(ctx: ImportContext, node: Node | null, what: string, at: Node): string {
  if (node && isScalar(node) && node.value !== null && typeof node.value !== 'object') {
    const s = String(node.value);
    if (s.length > 0) return s;
  }
  return ctx.fail(node ?? at, `${what} must be a non-empty text value`);
}

export function readMap(ctx: ImportContext, node: Node | null, what: string, at: Node): YAMLMap {
  if (node && isMap(node)) return node;
  return ctx.fail(node ?? at, `${what} must be a mapping (key: value lines)`);
}

export function readSeq(ctx: ImportContext, node: Node | null, what: string, at: Node): (Node | null)[] {
  if (node && isSeq(node)) return node.items as (Node | null)[];
  return ctx.fail(node ?? at, `${what} must be a list`);
}

export function readInteger(ctx: ImportContext, node: Node | null, what: string, at: Node, max = Number.MAX_SAFE_INTEGER): number {
  const v = node && isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max) return v;
  return ctx.fail(node ?? at, `${what} must be a whole number from 0 to ${max}`);
}
