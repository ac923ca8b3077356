import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../../common/contract/desktop.js';
import { COMMANDS, paletteCommands, runCanCancel, runCanStart } from '../../../renderer/src/commands/command-list.js';
import { PALETTE_ENTRIES } from '../../../renderer/src/commands/palette-commands.js';
import type { RunStatus } from '../../../renderer/src/state/run-store.js';

const ids = (status: RunStatus): string[] => paletteCommands(status).map((c) => c.id);

describe("the command palette's commands", () => {
  it('are every menu command but the palette itself, then the palette-only ones, each id once', () => {
    const list = ids('idle');
    expect(new Set(list).size).toBe(list.length);
    expect(list.slice(0, COMMANDS.length - 1)).toEqual(COMMANDS.map((c) => c.id).filter((id) => id !== 'view.commandPalette'));
    expect(list).not.toContain('view.commandPalette');
    // Palette-only ids are not menu ids: the desktop menu can never send one.
    const menuIds: readonly string[] = MENU_COMMANDS;
    expect(list.slice(COMMANDS.length - 1).filter((id) => menuIds.includes(id))).toEqual([]);
  });

  it('add a node of every palette entry, by the entry label and under an id made of its key', () => {
    const adds = paletteCommands('idle').filter((c) => c.menu === 'Add node');
    expect(adds.map((c) => c.id)).toEqual(PALETTE_ENTRIES.map((e) => `node.add.${e.key}`));
    expect(adds.map((c) => c.label)).toEqual(PALETTE_ENTRIES.map((e) => e.label));
  });

  it('open each analysis panel', () => {
    expect(ids('idle').filter((id) => id.startsWith('analysis.'))).toEqual(['analysis.diagnostics', 'analysis.barrier', 'analysis.sweep']);
  });

  it('offer Run while nothing runs and Cancel while the service has a job to cancel, as the run panel does', () => {
    const table: [RunStatus, boolean, boolean][] = [
      ['idle', true, false],
      ['done', true, false],
      ['failed', true, false],
      ['cancelled', true, false],
      // Pre-flight: no job id yet, so nothing to cancel, and a second Run would be refused.
      ['checking', false, false],
      ['queued', false, true],
      ['running', false, true],
    ];
    for (const [status, start, cancel] of table) {
      expect([runCanStart(status), runCanCancel(status)], status).toEqual([start, cancel]);
      expect(ids(status).includes('run.start'), status).toBe(start);
      expect(ids(status).includes('run.cancel'), status).toBe(cancel);
    }
  });
});
