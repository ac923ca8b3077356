/**
 * Limits checked before a recipe's YAML is parsed. The yaml package's composer recurses once per
 * nesting level, so a few hundred kilobytes of `[[[[…` or `- - - …` take seconds and can exhaust
 * the stack or the heap (found by test/fuzz/). No recipe nests past a handful of levels or comes
 * near a megabyte, so both are refused up front, with yaml's own linear lexer doing the counting.
 * Its duplicate-key check and its handling of anchors, aliases, documents and errors grow faster
 * than the text, so their counts are bounded too (far above what any recipe needs).
 */
import { Lexer } from 'yaml';

/** Characters; the largest real recipes are a few kilobytes. */
export const MAX_RECIPE_CHARS = 1 << 20;
/** Flow brackets + block indentation levels + compact block indicators on a line (`- - -`, `a: b:`). */
export const MAX_YAML_NESTING = 64;
/**
 * Mapping and list entries (`:`, `-`, `?`, `,` indicators) in the whole file: six times the
 * largest recipe of the community corpus (485), and small enough that yaml's quadratic
 * duplicate-key check stays under half a second.
 */
export const MAX_YAML_ENTRIES = 3_000;
/** Anchors plus aliases (the importer reads neither; they are only tolerated). */
export const MAX_YAML_ANCHORS = 100;
/** Documents (stages of a multi-document recipe). */
export const MAX_YAML_DOCUMENTS = 100;

/** Why `text` is refused before parsing, or undefined. */
export function yamlLimitProblem(text: string): string | undefined {
  if (text.length > MAX_RECIPE_CHARS) {
    return `the file is ${text.length} characters long, more than the ${MAX_RECIPE_CHARS} a recipe may have`;
  }
  return countsProblem(text);
}

const SPACES = /^ +$/;

/**
 * One pass over the lexer's tokens: an upper bound of the nesting depth, and the counts of
 * entries, anchors and aliases, and documents, each compared with its limit (stops at the first).
 */
function countsProblem(text: string): string | undefined {
  let entries = 0;
  let anchors = 0;
  let documents = 0;
  let flow = 0;
  let onLine = 0;
  const indents: number[] = [];
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (token === '\n' || token === '\r\n') {
      lineStart = true;
      onLine = 0;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      const indent = SPACES.test(token) ? token.length : 0;
      while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
      if (indent > 0) indents.push(indent);
    }
    if (token === '[' || token === '{') flow++;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (token === '-' || token === '?' || token === ':') {
      if (flow === 0) onLine++; // inside brackets, `a: 1, b: 2` is one level
      entries++;
    } else if (token === ',') entries++;
    else if (token === '---') documents++;
    else if (token[0] === '&' || token[0] === '*') anchors++;
    if (flow + indents.length + onLine > MAX_YAML_NESTING) return `nested more than ${MAX_YAML_NESTING} levels deep`;
    if (entries > MAX_YAML_ENTRIES) return `more than ${MAX_YAML_ENTRIES} entries`;
    if (anchors > MAX_YAML_ANCHORS) return `more than ${MAX_YAML_ANCHORS} anchors and aliases`;
    if (documents > MAX_YAML_DOCUMENTS) return `more than ${MAX_YAML_DOCUMENTS} documents`;
  }
  return undefined;
}
