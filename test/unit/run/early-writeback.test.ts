import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEarlyWriteback, type FlushableFile } from '../../../electron/engine/run/early-writeback.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Files that count their flushes and closes; a flush takes `flushMs`. */
function fakeFiles(flushMs = 0) {
  const log: string[] = [];
  const openFile = async (path: string): Promise<FlushableFile> => {
    log.push(`open ${path}`);
    return {
      datasync: async () => {
        log.push(`sync ${path}`);
        await sleep(flushMs);
      },
      close: async () => void log.push(`close ${path}`),
    };
  };
  return { log, openFile };
}

describe('early writeback of the output while the merge computes', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('flushes every file each interval, then stops: no flush after stop, every file closed once', async () => {
    const { log, openFile } = fakeFiles();
    const wb = startEarlyWriteback(['a', 'b'], 10, openFile);
    await sleep(60);
    await wb.stop();
    const synced = log.filter((l) => l.startsWith('sync'));
    expect(synced.length).toBeGreaterThanOrEqual(4);
    // A flush goes through the files in order; stop may come between two of them.
    const a = synced.filter((l) => l === 'sync a').length;
    expect(a - synced.filter((l) => l === 'sync b').length).toBeGreaterThanOrEqual(0);
    expect(a - synced.filter((l) => l === 'sync b').length).toBeLessThanOrEqual(1);
    expect(log.filter((l) => l.startsWith('open'))).toEqual(['open a', 'open b']);
    expect(log.slice(-2)).toEqual(['close a', 'close b']);
    const after = log.length;
    await sleep(40);
    expect(log.length).toBe(after);
  });

  it('never runs two flushes at once, and stop waits for the one in progress', async () => {
    const { log, openFile } = fakeFiles(50);
    const wb = startEarlyWriteback(['a'], 5, openFile);
    await sleep(30);
    await wb.stop();
    // One flush of 50 ms started at ~5 ms: later ticks found it running and skipped.
    expect(log).toEqual(['open a', 'sync a', 'close a']);
  });

  it('a real file: flushes without error; a file that cannot be opened is left to the final fsync', async () => {
    dir = mkdtempSync(join(tmpdir(), 'crucible-wb-'));
    const file = join(dir, 'model.safetensors');
    writeFileSync(file, Buffer.alloc(1 << 16, 1));
    const wb = startEarlyWriteback([file, join(dir, 'missing.safetensors')], 5);
    await sleep(30);
    await expect(wb.stop()).resolves.toBeUndefined();
    const ok = startEarlyWriteback([file], 5);
    await sleep(30);
    await expect(ok.stop()).resolves.toBeUndefined();
  });
});

describe('stopping after a failure', () => {
  it('waits at most waitMs for a slow flush; the files still close when it ends', async () => {
    const { log, openFile } = fakeFiles(300);
    const wb = startEarlyWriteback(['a'], 5, openFile);
    await sleep(20);
    await wb.stop(50);
    // Returned while the 300 ms flush was still running: the file is not closed yet.
    expect(log).toEqual(['open a', 'sync a']);
    await sleep(350);
    expect(log).toEqual(['open a', 'sync a', 'close a']);
  });
});
