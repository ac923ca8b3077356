/**
 * Recognises a common way recipes break: a list of `- model:` entries whose `models:` key was lost
 * (the list then continues the previous key's value, which is not valid YAML). Saying so is more
 * useful than the parser's message about compact mappings.
 */

const MODEL_ITEM = /^(\s*)-\s+model\s*:/;
const LIST_KEY = /^\s*(?:-\s+)?(models|slices|sources)\s*:/;

/** 1-based line and column of the first orphan `- model:` item, when no line holds a list key. */
export function findOrphanModelList(text: string): { line: number; column: number } | undefined {
  const lines = text.split(/\r?\n/);
  if (lines.some((l) => LIST_KEY.test(stripComment(l)))) return undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = MODEL_ITEM.exec(stripComment(lines[i]));
    if (m) return { line: i + 1, column: m[1].length + 1 };
  }
  return undefined;
}

function stripComment(line: string): string {
  return line.trimStart().startsWith('#') ? '' : line;
}
