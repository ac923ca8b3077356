import { describe, expect, it } from 'vitest';
import { filterCommands } from '../../../renderer/src/commands/filter-commands.js';

const commands = [
  { menu: 'File', label: 'Open…' },
  { menu: 'File', label: 'Open model folder…' },
  { menu: 'File', label: 'Open recipe from output folder…' },
  { menu: 'File', label: 'Import mergekit YAML…' },
  { menu: 'Edit', label: 'Undo' },
];

describe('the command palette search', () => {
  it('keeps the commands holding every word typed, in any case and order, in their menu order', () => {
    expect(filterCommands('output folder', commands).map((c) => c.label)).toEqual(['Open recipe from output folder…']);
    expect(filterCommands('FOLDER open', commands).map((c) => c.label)).toEqual(['Open model folder…', 'Open recipe from output folder…']);
    expect(filterCommands('file yaml', commands).map((c) => c.label)).toEqual(['Import mergekit YAML…']);
  });

  it('lists first, in menu order, the commands of a menu the query names', () => {
    const withRun = [{ menu: 'View', label: 'Run panel' }, { menu: 'View', label: 'Minimap' }, { menu: 'Run', label: 'Start' }, { menu: 'Run', label: 'Cancel' }];
    expect(filterCommands('run', withRun).map((c) => `${c.menu}: ${c.label}`)).toEqual(['Run: Start', 'Run: Cancel', 'View: Run panel']);
    expect(filterCommands('view run', withRun).map((c) => `${c.menu}: ${c.label}`)).toEqual(['View: Run panel']);
    expect(filterCommands('open', commands).map((c) => c.label)).toEqual(['Open…', 'Open model folder…', 'Open recipe from output folder…']);
  });

  it('an empty query lists everything; no match lists nothing; the ellipsis is not searched', () => {
    expect(filterCommands('  ', commands)).toHaveLength(5);
    expect(filterCommands('redo', commands)).toEqual([]);
    expect(filterCommands('…', commands)).toHaveLength(5);
  });
});
