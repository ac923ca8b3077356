import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../../renderer/src/commands/project-commands.js';

describe('default file names from project names', () => {
  it('replaces the characters Windows, macOS or Linux refuse in a file name with -', () => {
    expect(safeFileName('Demo: TIES merge of two fine-tunes', 'merge')).toBe('Demo- TIES merge of two fine-tunes');
    expect(safeFileName('a\\b/c:d*e?f"g<h>i|j', 'merge')).toBe('a-b-c-d-e-f-g-h-i-j');
  });

  it('trims, and falls back when nothing is left', () => {
    expect(safeFileName('  my merge  ', 'merge')).toBe('my merge');
    expect(safeFileName('   ', 'untitled')).toBe('untitled');
    expect(safeFileName('', 'merge')).toBe('merge');
  });
});
