/**
 * YAML as mergekit reads it: PyYAML implements YAML 1.1, where `yes`/`on` are booleans and a float
 * needs a dot (`1e-8` is a string there, `1.0e-8` a float). Text written for mergekit follows
 * those rules; it reads back the same under YAML 1.2 (Crucible's importer).
 */
import { Document, isScalar, visit, type ScalarTag, type ToStringOptions } from 'yaml';

/** Floats JavaScript prints with an exponent, written with the dot PyYAML's float pattern needs. */
const exponentFloat: ScalarTag = {
  identify: (v) => typeof v === 'number' && Number.isFinite(v) && /e/i.test(String(v)),
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: /^[-+]?[0-9][0-9_]*\.[0-9_]*[eE][-+][0-9]+$/,
  resolve: (s) => Number.parseFloat(s.replace(/_/g, '')),
  stringify: ({ value }) => formatNumber(Number(value)),
};

export const TO_STRING: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false, directives: false };

/** A number as PyYAML reads it back exactly (shortest round-trip digits, dotted mantissa before an exponent). */
export function formatNumber(n: number): string {
  const s = Object.is(n, -0) ? '0' : String(n);
  const [mantissa, exponent] = s.split('e');
  if (exponent === undefined) return s;
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent.startsWith('-') || exponent.startsWith('+') ? exponent : `+${exponent}`}`;
}

/** A document for `value` under the YAML 1.1 schema, lists of plain values written inline ([0, 0.5, 1]). */
export function pyyamlDocument(value: unknown): Document {
  const doc = new Document(value, { version: '1.1', customTags: (tags) => [exponentFloat, ...tags] });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  return doc;
}

/** `value` as YAML text (block style, inline lists of plain values), ending with a newline. */
export function toPyyamlText(value: unknown): string {
  return pyyamlDocument(value).toString(TO_STRING);
}

/** `value` on one line: flow style (`{filter: mlp, value: [0, 1]}`), or a single scalar. */
export function toInlineText(value: unknown): string {
  const doc = pyyamlDocument(value);
  visit(doc, {
    Collection(_, node) {
      node.flow = true;
    },
  });
  const text = doc.toString(TO_STRING).replace(/\n$/, '');
  if (text.includes('\n')) return JSON.stringify(value);
  return text;
}
