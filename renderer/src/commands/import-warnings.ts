/**
 * The warnings of an import (keys mergekit's reader left out, values normalised, stages unused)
 * as one notice's text: a count, then one warning per line, the first `shown` only with the number
 * left over (the CLI's `crucible recipe import` prints them all).
 */
export function importWarningsText(warnings: readonly string[], shown = 8): string | null {
  if (warnings.length === 0) return null;
  const head = `Imported with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}:`;
  const lines = warnings.slice(0, shown).map((w) => `• ${w}`);
  const more = warnings.length - shown;
  if (more > 0) lines.push(`…and ${more} more (crucible recipe import prints them all)`);
  return [head, ...lines].join('\n');
}
