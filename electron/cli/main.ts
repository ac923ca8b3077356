/**
 * The `crucible` command line. Exit status: 0 success, 2 bad input (the message names the file,
 * tensor or parameter), 3 verify found differences, 130 cancelled (SIGINT), 1 internal error.
 */
import { parseArgs } from 'node:util';
import { METHODS } from '../../common/methods/registry.js';
import { ALIGN_USAGE, alignCommand } from './commands/align.js';
import { diffCommand } from './commands/diff.js';
import { exportYamlCommand } from './commands/export-yaml.js';
import { FISHER_USAGE, fisherCommand } from './commands/fisher.js';
import { inspectCommand } from './commands/inspect.js';
import { mergeCommand } from './commands/merge.js';
import { PROBE_USAGE, probeCommand } from './commands/probe.js';
import { RECIPE_USAGE, recipeCommand } from './commands/recipe.js';
import { VERIFY_USAGE, verifyCommand } from './commands/verify.js';
import { EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_INTERNAL, EXIT_OK, UsageError, isBadInput } from './exit-codes.js';
import { reportError, reporter } from './output.js';
import { tolerateClosedReader } from './closed-output.js';

const USAGE = `usage:
  crucible merge RECIPE --out DIR [--models-root DIR] [--intermediate-dir DIR] [--keep-intermediates] [--seed N]
                 [--threads N] [--memory-budget SIZE] [--shard-size SIZE] [--force] [--full-hash] [--allow-crimes] [--json]
  crucible merge PROJECT.crucible.json [--out DIR] [same options]
  crucible export-yaml PROJECT|OUTPUT_DIR|RECIPE [--out FILE] [--output NODE] [--comments] [--json]
${RECIPE_USAGE}
${VERIFY_USAGE}
  crucible inspect PATH [--json]
  crucible diff A B [MORE...] [--base C] [--density D] [--json]
  crucible methods [--json]
${PROBE_USAGE}
${ALIGN_USAGE}
${FISHER_USAGE}

SIZE takes decimal KB/MB/GB or binary KiB/MiB/GiB suffixes (default shard size 5GB;
default memory budget a quarter of physical memory, at least 2GB; --memory-budget takes 256MiB
or more: the process itself needs about 100MB). --threads N takes 1 to 256 (or to the number of
cores, when larger); default one per core.
Exit status: 0 success, 2 bad input, 3 verify: not bit-identical, 130 cancelled, 1 internal error.`;

function methodsCommand(json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(METHODS) + '\n');
    return;
  }
  for (const m of METHODS) {
    process.stdout.write(`${m.id.padEnd(18)} ${m.summary}\n`);
    for (const p of m.params) {
      const range = p.type === 'number' && (p.min !== undefined || p.max !== undefined) ? ` range ${p.minExclusive ? '(' : '['}${p.min ?? '-∞'}, ${p.max ?? '∞'}${p.maxExclusive ? ')' : ']'}` : '';
      const def = p.default === undefined ? 'required' : `default ${String(p.default)}`;
      process.stdout.write(`    ${p.name.padEnd(16)} ${p.scope === 'model' ? 'per model' : 'global   '}  ${def}${range}\n`);
    }
  }
}

/** What bin/crucible.js registers to report a signal received while this module loads. */
interface LauncherSignalHandler {
  signals: NodeJS.Signals[];
  handler: () => void;
}

/** From here on main's own handlers cancel cleanly: the launcher's early exit must not run too. */
function dropLauncherSignalHandler(): void {
  const key = Symbol.for('crucible.cli.cancelledWhileLoading');
  const early = (process as unknown as Record<symbol, LauncherSignalHandler | undefined>)[key];
  if (!early) return;
  for (const s of early.signals) process.off(s, early.handler);
  delete (process as unknown as Record<symbol, unknown>)[key];
}

export async function main(argv: string[]): Promise<number> {
  tolerateClosedReader(process.stdout);
  tolerateClosedReader(process.stderr);
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const r = reporter(json);
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT_CANCELLED);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // The terminal closed: the same clean stop (no staged folder left behind).
  process.on('SIGHUP', onSigint);
  dropLauncherSignalHandler();
  try {
    switch (command) {
      case 'merge': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            out: { type: 'string' },
            'models-root': { type: 'string' },
            'intermediate-dir': { type: 'string' },
            'keep-intermediates': { type: 'boolean' },
            seed: { type: 'string' },
            threads: { type: 'string' },
            'memory-budget': { type: 'string' },
            'shard-size': { type: 'string' },
            force: { type: 'boolean' },
            'full-hash': { type: 'boolean' },
            'allow-crimes': { type: 'boolean' },
            json: { type: 'boolean' },
            backend: { type: 'string' },
            'test-delay-ms': { type: 'string' },
          },
        });
        if (positionals.length !== 1) throw new UsageError(`crucible merge takes one RECIPE\n${USAGE}`);
        await mergeCommand(
          {
            recipe: positionals[0],
            out: values.out,
            modelsRoot: values['models-root'],
            intermediateDir: values['intermediate-dir'],
            keepIntermediates: values['keep-intermediates'],
            seed: values.seed,
            threads: values.threads,
            memoryBudget: values['memory-budget'],
            shardSize: values['shard-size'],
            force: values.force,
            fullHash: values['full-hash'],
            allowCrimes: values['allow-crimes'],
            backend: values.backend,
            testDelayMs: values['test-delay-ms'],
          },
          r,
          controller.signal,
        );
        return EXIT_OK;
      }
      case 'export-yaml': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { out: { type: 'string' }, output: { type: 'string' }, comments: { type: 'boolean' }, json: { type: 'boolean' } },
        });
        if (positionals.length !== 1) throw new UsageError(`crucible export-yaml takes one PROJECT, OUTPUT_DIR or RECIPE\n${USAGE}`);
        await exportYamlCommand({ source: positionals[0], out: values.out, output: values.output, comments: values.comments }, r);
        return EXIT_OK;
      }
      case 'recipe':
        await recipeCommand(rest, r);
        return EXIT_OK;
      case 'verify':
        return await verifyCommand(rest, r, controller.signal);
      case 'inspect': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
        if (positionals.length !== 1) throw new UsageError(`crucible inspect takes one PATH\n${USAGE}`);
        await inspectCommand(positionals[0], r);
        return EXIT_OK;
      }
      case 'diff': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { base: { type: 'string' }, density: { type: 'string' }, json: { type: 'boolean' } },
        });
        if (positionals.length < 2) throw new UsageError(`crucible diff takes two or more models A B [MORE...]\n${USAGE}`);
        const density = values.density === undefined ? undefined : Number(values.density);
        if (density !== undefined && !(density > 0 && density <= 1)) throw new UsageError(`--density ${values.density} is outside (0, 1]`);
        if (density !== undefined && !values.base) throw new UsageError('--density needs --base: it measures what trimming keeps of the task vectors');
        await diffCommand(positionals, values.base, density, r);
        return EXIT_OK;
      }
      case 'probe':
        await probeCommand(rest, r, controller.signal);
        return EXIT_OK;
      case 'align':
        await alignCommand(rest, r, controller.signal);
        return EXIT_OK;
      case 'fisher':
        await fisherCommand(rest, r, controller.signal);
        return EXIT_OK;
      case 'methods':
        methodsCommand(json);
        return EXIT_OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? EXIT_BAD_INPUT : EXIT_OK;
      default:
        throw new UsageError(`unknown command '${command}'\n${USAGE}`);
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e?.name === 'CancelledError' || controller.signal.aborted) {
      r.event({ type: 'error', message: 'cancelled', file: null, tensor: null });
      if (!json) process.stderr.write('cancelled; no output was written\n');
      return EXIT_CANCELLED;
    }
    // parseArgs' own errors (unknown option, missing value) are usage errors.
    if (typeof e?.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      reportError(r, new UsageError(`${e.message}\n${USAGE}`));
      return EXIT_BAD_INPUT;
    }
    reportError(r, err);
    return isBadInput(err) ? EXIT_BAD_INPUT : EXIT_INTERNAL;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    process.off('SIGHUP', onSigint);
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
