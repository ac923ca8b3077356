/**
 * `crucible verify MODEL_DIR [--models-root DIR] [--json]`: re-runs the recipe an output recorded
 * and reports whether every tensor is bit-identical. Exit 0 identical, 3 not, 2 when an input
 * cannot be found.
 */
import { parseArgs } from 'node:util';
import { verifyOutput } from '../../engine/provenance/verify-output.js';
import { inputName } from '../../engine/provenance/resolve-inputs.js';
import { EXIT_MISMATCH, EXIT_OK, UsageError } from '../exit-codes.js';
import { threadsFlag } from '../resource-flags.js';
import type { Reporter } from '../output.js';

export const VERIFY_USAGE = '  crucible verify MODEL_DIR [--models-root DIR] [--threads N] [--json]';

export async function verifyCommand(argv: string[], r: Reporter, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'models-root': { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(`crucible verify takes one MODEL_DIR\n${VERIFY_USAGE}`);
  const threads = threadsFlag(values.threads);
  const result = await verifyOutput({
    output: positionals[0],
    modelsRoot: values['models-root'],
    threads,
    signal,
    onEvent: (e) => {
      if (e.type === 'warning' && !r.json) process.stderr.write(`warning: ${e.message}\n`);
    },
  });
  for (const i of result.inputs) {
    if (i.moved && !r.json) process.stderr.write(`${inputName(i)} moved: found by header hash at ${i.path}\n`);
  }
  if (r.json) {
    process.stdout.write(JSON.stringify({ type: 'verify', identical: result.identical, tensors: result.tensors, mismatches: result.mismatches }) + '\n');
  } else {
    for (const name of result.mismatches) process.stdout.write(`mismatch: ${name}\n`);
    process.stdout.write(
      result.identical
        ? `identical: all ${result.tensors} tensors are bit-identical to a re-run\n`
        : `not identical: ${result.mismatches.length} of ${result.tensors} tensors differ from a re-run\n`,
    );
  }
  return result.identical ? EXIT_OK : EXIT_MISMATCH;
}
