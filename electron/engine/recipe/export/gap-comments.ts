/**
 * What mergekit will not do, written into the exported YAML as `# crucible: …` comment lines above
 * the first document, so a reader of the file sees it. Comments only: the keys mergekit reads are
 * unchanged. A previous export's `# crucible:` lines at the top are replaced, not piled up.
 */
export const GAP_COMMENT_PREFIX = '# crucible: ';

function commentLines(message: string): string[] {
  // One message may span lines: each is its own comment.
  return message.split(/\r?\n/).map((l) => `${GAP_COMMENT_PREFIX}${l}`.trimEnd());
}

/** The text without leading `# crucible:` lines (a header an earlier export wrote). */
export function withoutGapComments(text: string): string {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].startsWith(GAP_COMMENT_PREFIX.trimEnd())) i++;
  return lines.slice(i).join('\n');
}

export function withGapComments(text: string, gaps: readonly string[]): string {
  const body = withoutGapComments(text);
  if (gaps.length === 0) return body;
  const header = [`${GAP_COMMENT_PREFIX}not expressible in mergekit (mergekit will not do what Crucible does here):`, ...gaps.flatMap(commentLines)];
  return `${header.join('\n')}\n${body}`;
}
