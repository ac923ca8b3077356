/**
 * The command palette's search: every word typed must appear in the command's menu and label (any
 * case, any order). Commands whose menu (group) is one of the words come first, in menu order: "run"
 * offers Run: Start before View: Run panel.
 */
export interface Searchable {
  label: string;
  menu: string;
}

function normalize(s: string): string {
  return s.toLowerCase().replace(/…/g, '');
}

export function filterCommands<T extends Searchable>(query: string, commands: readonly T[]): T[] {
  const words = normalize(query).split(/\s+/).filter(Boolean);
  const matches = commands.filter((c) => {
    const text = normalize(`${c.menu} ${c.label}`);
    return words.every((w) => text.includes(w));
  });
  const groupNamed = (c: T): boolean => normalize(c.menu).split(/\s+/).some((m) => words.includes(m));
  return [...matches.filter(groupNamed), ...matches.filter((c) => !groupNamed(c))];
}
