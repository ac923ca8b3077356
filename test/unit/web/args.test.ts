import { describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../../electron/web/args.js';

describe('web host arguments', () => {
  it('defaults to a free port and no slow-down', () => {
    expect(parseWebArgs([], {})).toEqual({ port: 0 });
  });
  it('takes --port and the test-only delay (flag or environment)', () => {
    expect(parseWebArgs(['--port', '8123'], {})).toEqual({ port: 8123 });
    expect(parseWebArgs(['--test-delay-ms-per-tensor', '40'], {})).toEqual({ port: 0, testDelayMsPerTensor: 40 });
    expect(parseWebArgs([], { CRUCIBLE_TEST_DELAY_MS_PER_TENSOR: '5' })).toEqual({ port: 0, testDelayMsPerTensor: 5 });
  });
  it('refuses bad values and unknown flags', () => {
    expect(() => parseWebArgs(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => parseWebArgs(['--port', '70000'], {})).toThrow(/65535/);
    expect(() => parseWebArgs(['--host', '0.0.0.0'], {})).toThrow();
  });
});
