/** The command palette's search: every word typed must appear in the command's menu and label (any case, any order). */
export interface Searchable {
  label: string;
  menu: string;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/…/g, '');
}

export function filterCommands<T extends Searchable>(query: string, commands: readonly T[]): T[] {
  const words = normalize(query).split(/\s+/).filter(Boolean);
  return commands.filter((c) => {
    const text = normalize(`${c.menu} ${c.label}`);
    return words.every((w) => text.includes(w));
  });
}
