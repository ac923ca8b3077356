/**
 * The seed of Crucible's DARE/DELLA masks in a mergekit YAML file. mergekit's configuration has no
 * seed key (its seed is the `--random-seed` flag of its CLI, and a `random_seed:` key is ignored),
 * so the export writes it as a comment line of the document it belongs to, which says how to pass
 * it to mergekit; Crucible's importer reads it back (and still reads `random_seed:`/`seed:` keys
 * of older files, which take precedence).
 */

const SEED_LINE = /^#[ \t]*crucible seed:[ \t]*(\d+)\b.*$/m;

export function seedComment(seed: number): string {
  return `# crucible seed: ${seed} — pass --random-seed ${seed} to mergekit`;
}

/** The seed comment line in `text` (the text of one document): its value and where it is (the line, without its newline). */
export function findSeedComment(text: string): { seed: number; start: number; end: number } | undefined {
  const m = SEED_LINE.exec(text);
  if (!m) return undefined;
  const seed = Number(m[1]);
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) return undefined;
  return { seed, start: m.index, end: m.index + m[0].length };
}
