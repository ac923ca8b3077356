/** Human byte sizes ("5GB", "1.5GiB", "200MB", "4096") to bytes. */

const UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  b: 1n,
  kb: 1000n,
  mb: 1000n ** 2n,
  gb: 1000n ** 3n,
  tb: 1000n ** 4n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
  tib: 1024n ** 4n,
};

const SIZE = /^\s*(\d+)(?:\.(\d+))?\s*([a-z]*)\s*$/i;

/**
 * Bytes in `text`: a number (decimals allowed) and an optional unit, case-insensitive:
 * KB MB GB TB are powers of 1000, KiB MiB GiB TiB powers of 1024, B or none is bytes. A fraction
 * of a byte is rounded down. `flag` (e.g. "--shard-size") prefixes the error message.
 */
export function parseSize(text: string, flag?: string): number {
  const m = SIZE.exec(text);
  const unit = m ? UNITS[m[3].toLowerCase()] : undefined;
  const fail = (why: string): never => {
    throw new Error(`${flag ? `${flag}: ` : ''}invalid size ${JSON.stringify(text)}: ${why}`);
  };
  if (!m) return fail('expected a number with an optional unit, e.g. 5GB, 500MB, 2GiB or 1048576');
  if (unit === undefined) return fail(`unknown unit ${JSON.stringify(m[3])} (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)`);
  // Exact decimal arithmetic: "1.1KB" is 1100 bytes, not 1100.0000000000002.
  const frac = m[2] ?? '';
  const bytes = (BigInt(m[1] + frac) * unit) / 10n ** BigInt(frac.length);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) return fail('too large');
  return Number(bytes);
}
