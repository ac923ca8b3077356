/**
 * Results of probe sweeps, cached by what determines them: the inputs' header hashes, the node's
 * parameters (the recipe and the swept values), the probe texts' hashes, window, stride, K and the
 * tokenizer's hash. In memory (bounded, least recently used first out), optionally mirrored as
 * JSON files in a folder so results survive a restart.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProbeCacheKeyParts {
  inputHeaderHashes: string[];
  /** The recipe (or node description) and the swept axes and values. */
  parameters: unknown;
  textHashes: string[];
  window: number;
  stride: number;
  points: number;
  tokenizer: string;
}

/** JSON with object keys sorted, so equal values give equal strings. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function probeCacheKey(parts: ProbeCacheKeyParts): string {
  return createHash('sha256').update(canonical(parts)).digest('hex');
}

export class ProbeCache<T = unknown> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly maxEntries = 256,
    /** Folder for persistent entries (one JSON file per key); none by default. */
    private readonly dir?: string,
  ) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    if (this.dir) {
      const file = join(this.dir, `${key}.json`);
      if (existsSync(file)) {
        try {
          const value = JSON.parse(readFileSync(file, 'utf8')) as T;
          this.remember(key, value);
          return value;
        } catch {
          return undefined; // a torn or foreign file: recompute
        }
      }
    }
    return undefined;
  }

  set(key: string, value: T): void {
    this.remember(key, value);
    if (this.dir) {
      const file = join(this.dir, `${key}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, file);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
