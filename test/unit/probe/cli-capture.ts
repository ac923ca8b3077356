/** Runs a CLI command function in-process, capturing what it writes to stdout. */
import { vi } from 'vitest';
import { reporter } from '../../../electron/cli/output.js';

export async function captureStdout(fn: (r: ReturnType<typeof reporter>) => Promise<void>, json = true): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await fn(reporter(json));
  } finally {
    spy.mockRestore();
  }
  return lines.join('').split('\n').filter((l) => l.length > 0);
}
