#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, 'dist', 'electron', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('crucible: the CLI is not built yet; run `npm run build` first\n');
  process.exit(1);
}

// Ctrl-C (or SIGTERM, SIGHUP) while the CLI's modules load (about half a second) would otherwise
// kill the process by the signal, silently. Nothing has been read or written yet: say so as the
// CLI does when it cancels (the JSON error object under --json, else a line on stderr) and exit
// 130. main.ts removes this handler once its own cancellation handlers are installed.
const EARLY_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const cancelledWhileLoading = () => {
  if (process.argv.slice(3).includes('--json')) {
    process.stdout.write(JSON.stringify({ type: 'error', message: 'cancelled', file: null, tensor: null }) + '\n');
  } else {
    process.stderr.write('cancelled; no output was written\n');
  }
  process.exit(130);
};
for (const s of EARLY_SIGNALS) process.on(s, cancelledWhileLoading);
process[Symbol.for('crucible.cli.cancelledWhileLoading')] = { signals: EARLY_SIGNALS, handler: cancelledWhileLoading };

await import(pathToFileURL(entry).href);
