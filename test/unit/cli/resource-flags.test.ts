/** --threads and --memory-budget: the bounds every command that takes them applies, with hand-computed sizes. */
import { describe, expect, it } from 'vitest';
import { maxThreads, memoryBudgetFlag, threadsFlag } from '../../../electron/cli/resource-flags.js';

function usageError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe('UsageError');
    return e as Error;
  }
  throw new Error('expected a UsageError, but the call succeeded');
}

describe('--threads', () => {
  it('is not required', () => {
    expect(threadsFlag(undefined, 2)).toBeUndefined();
  });

  it('takes 1 to 256 on a machine with fewer cores', () => {
    expect(maxThreads(2)).toBe(256);
    expect(threadsFlag('1', 2)).toBe(1);
    expect(threadsFlag('2', 2)).toBe(2);
    expect(threadsFlag('256', 2)).toBe(256);
  });

  it('takes every core of a machine with more than 256', () => {
    expect(maxThreads(384)).toBe(384);
    expect(threadsFlag('384', 384)).toBe(384);
    expect(usageError(() => threadsFlag('385', 384)).message).toMatch(/^--threads must be an integer from 1 to 384 \(got '385'\)/);
  });

  it('refuses 1000 (and 257, 0, fractions, words), naming the flag, the range and why', () => {
    const err = usageError(() => threadsFlag('1000', 2));
    expect(err.message).toBe(
      "--threads must be an integer from 1 to 256 (got '1000'): this machine has 2 cores, more workers than cores add no speed, and each takes about 8 MB of memory",
    );
    expect(usageError(() => threadsFlag('257', 1)).message).toContain('this machine has 1 core,');
    for (const bad of ['257', '0', '-1', '1.5', 'four', '', 'NaN', 'Infinity']) {
      expect(usageError(() => threadsFlag(bad, 2)).message).toContain(`--threads must be an integer from 1 to 256 (got '${bad}')`);
    }
  });
});

describe('--memory-budget', () => {
  const MIB = 1024 * 1024;

  it('is not required', () => {
    expect(memoryBudgetFlag(undefined)).toBeUndefined();
  });

  it('takes 256 MiB (268435456 bytes) and more, in any unit', () => {
    expect(memoryBudgetFlag('256MiB')).toBe(268_435_456);
    expect(memoryBudgetFlag('268435456')).toBe(256 * MIB);
    expect(memoryBudgetFlag('0.25GiB')).toBe(268_435_456);
    expect(memoryBudgetFlag('300MB')).toBe(300_000_000);
    expect(memoryBudgetFlag('2GB')).toBe(2_000_000_000);
  });

  it('refuses 0, 1KB and anything under 256 MiB, naming the flag and the smallest accepted value', () => {
    // 256MB is 256,000,000 bytes: under 256 MiB (268,435,456).
    for (const small of ['0', '1KB', '1', '255MiB', '268435455', '256MB']) {
      const err = usageError(() => memoryBudgetFlag(small));
      expect(err.message).toBe(
        `--memory-budget ${small} is too small: the smallest memory budget accepted is 256 MiB (268435456 bytes): ` +
          'Crucible itself takes about 100 MB before any merge or probe work, so a smaller budget could not be honoured',
      );
    }
  });

  it('refuses a malformed size, naming the flag', () => {
    expect(usageError(() => memoryBudgetFlag('lots')).message).toMatch(/^--memory-budget: invalid size "lots"/);
  });
});
