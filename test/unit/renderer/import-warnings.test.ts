/** An import's warnings as one notice, and how long notices stay on screen. */
import { describe, expect, it } from 'vitest';
import { importWarningsText } from '../../../renderer/src/commands/import-warnings.js';
import { NOTICE_MAX_MS, noticeDuration } from '../../../renderer/src/state/notice-duration.js';

describe('importWarningsText', () => {
  it('is null without warnings', () => {
    expect(importWarningsText([])).toBeNull();
  });

  it('counts them and lists one per line', () => {
    expect(importWarningsText(['a.yaml:3: x ignored'])).toBe('Imported with 1 warning:\n• a.yaml:3: x ignored');
    expect(importWarningsText(['w1', 'w2'])).toBe('Imported with 2 warnings:\n• w1\n• w2');
  });

  it('lists the first few and says how many more there are', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `w${i + 1}`);
    const text = importWarningsText(ten, 8)!;
    expect(text.split('\n')).toEqual(['Imported with 10 warnings:', '• w1', '• w2', '• w3', '• w4', '• w5', '• w6', '• w7', '• w8', '…and 2 more (crucible recipe import prints them all)']);
  });
});

describe('noticeDuration', () => {
  it('keeps short notices 4 s (info) and 8 s (error)', () => {
    expect(noticeDuration('Saved.', 'info')).toBe(4000);
    expect(noticeDuration('x'.repeat(80), 'error')).toBe(8000);
  });

  it('adds 50 ms per character beyond 80, up to 30 s', () => {
    expect(noticeDuration('x'.repeat(180), 'info')).toBe(4000 + 100 * 50);
    expect(noticeDuration('x'.repeat(5000), 'info')).toBe(NOTICE_MAX_MS);
  });
});
