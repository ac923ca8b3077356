import { describe, expect, it } from 'vitest';
import { parseSize } from '../../../electron/engine/io/size.js';

describe('parseSize', () => {
  it.each([
    ['5GB', 5_000_000_000],
    ['5gb', 5_000_000_000],
    ['1.5GB', 1_500_000_000],
    ['200MB', 200_000_000],
    ['1kb', 1000],
    ['2TB', 2_000_000_000_000],
    ['1KiB', 1024],
    ['0.5KiB', 512],
    ['2GiB', 2 * 1024 ** 3],
    ['3mib', 3 * 1024 ** 2],
    ['1TiB', 1024 ** 4],
    ['1.1KB', 1100],
    ['0.3MiB', 314572], // 314572.8 rounded down
    ['4096', 4096],
    ['4096B', 4096],
    ['12b', 12],
    [' 5 GB ', 5_000_000_000],
    ['0', 0],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'GB', '5XB', '-5GB', '5 G', '1e9', 'abc', '1.GB', '.5GB', '1,5GB', '5GBs', '5 K B', '9999999999999999TB'])(
    'refuses %j, naming the value',
    (text) => {
      expect(() => parseSize(text)).toThrow(`invalid size ${JSON.stringify(text)}`);
    },
  );

  it('prefixes the flag name when given', () => {
    expect(() => parseSize('lots', '--shard-size')).toThrow(/^--shard-size: invalid size "lots"/);
  });
});
