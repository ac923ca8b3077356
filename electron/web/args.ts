/** Command line of the web host: `--port N` (default: a free port) and the test-only slow-down. */
import { parseArgs } from 'node:util';

export interface WebArgs {
  port: number;
  /** Test-only (also CRUCIBLE_TEST_DELAY_MS_PER_TENSOR): sleep this long per tensor so UI tests can watch a run. */
  testDelayMsPerTensor?: number;
}

function nonNegativeInt(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${what} must be a whole number, got '${value}'`);
  return Number(value);
}

export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WebArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'test-delay-ms-per-tensor': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? 0 : nonNegativeInt(values.port, '--port');
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const delay = values['test-delay-ms-per-tensor'] ?? env.CRUCIBLE_TEST_DELAY_MS_PER_TENSOR;
  const out: WebArgs = { port };
  if (delay !== undefined && delay !== '') out.testDelayMsPerTensor = nonNegativeInt(delay, '--test-delay-ms-per-tensor');
  return out;
}
