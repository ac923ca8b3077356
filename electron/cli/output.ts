/** How the CLI talks: human lines on stderr/stdout, or one JSON object per line with --json. */
import { isBadInput } from './exit-codes.js';

export interface Reporter {
  json: boolean;
  /** One JSON object per line (--json) — always has a `type`. */
  event<T extends { type: string }>(obj: T): void;
  info(line: string): void;
  warn(line: string): void;
}

export function reporter(json: boolean): Reporter {
  return {
    json,
    event: (obj) => {
      if (json) process.stdout.write(JSON.stringify(obj) + '\n');
    },
    info: (line) => {
      if (!json) process.stdout.write(line + '\n');
    },
    warn: (line) => {
      if (json) process.stdout.write(JSON.stringify({ type: 'warning', message: line }) + '\n');
      else process.stderr.write(`warning: ${line}\n`);
    },
  };
}

/** The error as the CLI reports it: message, and the file and tensor it concerns when known. */
export function errorPayload(err: unknown): { type: 'error'; message: string; file: string | null; tensor: string | null; problems?: unknown } {
  const e = err as Error & { file?: string; tensor?: string; problems?: unknown; line?: number };
  const payload: { type: 'error'; message: string; file: string | null; tensor: string | null; problems?: unknown } = {
    type: 'error',
    message: e?.message ?? String(err),
    file: e?.file ?? null,
    tensor: e?.tensor ?? null,
  };
  if (e?.problems !== undefined) payload.problems = e.problems;
  return payload;
}

export function reportError(r: Reporter, err: unknown): void {
  const p = errorPayload(err);
  if (r.json) {
    process.stdout.write(JSON.stringify(p) + '\n');
    return;
  }
  const where = [p.file ? `file ${p.file}` : '', p.tensor ? `tensor ${p.tensor}` : ''].filter(Boolean).join(', ');
  const kind = isBadInput(err) ? 'error' : 'internal error';
  process.stderr.write(`${kind}: ${p.message}${where && !p.message.includes(p.file ?? '\u0000') ? ` (${where})` : ''}\n`);
  if (!isBadInput(err) && (err as Error)?.stack && process.env.CRUCIBLE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 2)} ${units[i]}`;
}
