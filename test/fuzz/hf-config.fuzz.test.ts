/**
 * Fuzzes the config.json reader: damaged configs (the fixtures' real ones as a start) parsed
 * directly and opened from disk beside valid weights. Each must be refused with an InputError
 * naming the file, or give a layer count that is a whole number (or none) and a text architecture.
 */
import { readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { architectureFromConfig, layerCountFromConfig, parseJsonObject } from '../../electron/engine/io/hf-config.js';
import { InputError } from '../../electron/engine/io/types.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { attempt, attemptAsync, expectCleanOutcome, fcParams, FUZZ_RUNS, fuzzTimeout, rssWatch, runsFraction, unhandledRejectionWatch } from './fuzz-budget.js';
import { damageJson, describeDamage, jsonDamage } from './json-inputs.js';
import { applyByteMutation, byteMutation, INVALID_UTF8 } from './mutations.js';

const FILE = '/models/fuzz/config.json';
const FIXTURES = ['tiny-llama', 'tiny-gpt2', 'tiny-qwen2'].map((n) => readFileSync(new URL(`../fixtures/${n}/config.json`, import.meta.url), 'utf8'));

/** Values a stranger's config may hold where numbers and names are expected. */
const ODD_VALUES: unknown[] = [-1, 1.5, '32', null, 1e308, 2 ** 53, [], {}, true, -0, 0, 4294967296, ['LlamaForCausalLM'], [42], ''];
const KEYS = ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers', 'architectures', 'model_type', 'vocab_size', 'tie_word_embeddings', 'torch_dtype', '__proto__'];

const configCase = fc.oneof(
  { weight: 3, arbitrary: fc.record({ base: fc.nat(), damage: jsonDamage }).map(({ base, damage }) => {
    const valid = FIXTURES[base % FIXTURES.length];
    return { ...damageJson(valid, damage), label: describeDamage(damage) };
  }) },
  { weight: 1, arbitrary: fc.record({ base: fc.nat(), edits: fc.array(fc.record({ key: fc.constantFrom(...KEYS), value: fc.constantFrom(...ODD_VALUES) }), { minLength: 1, maxLength: 4 }) }).map(({ base, edits }) => {
    const config = JSON.parse(FIXTURES[base % FIXTURES.length]) as Record<string, unknown>;
    for (const e of edits) Object.defineProperty(config, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
    return { text: JSON.stringify(config), expect: undefined as RegExp | undefined, label: JSON.stringify(edits) };
  }) },
);

function expectSaneFacts(config: Record<string, unknown>): void {
  const layers = layerCountFromConfig(config);
  if (layers !== undefined) {
    expect(Number.isSafeInteger(layers)).toBe(true);
    expect(layers).toBeGreaterThanOrEqual(0);
  }
  const arch = architectureFromConfig(config);
  if (arch !== undefined) expect(typeof arch).toBe('string');
}

let ck: BuiltCheckpoint;
let work: string;
let rejections: ReturnType<typeof unhandledRejectionWatch>;
beforeAll(async () => {
  rejections = unhandledRejectionWatch();
  ck = await makeLlamaCheckpoint({ layers: 2 });
  work = await makeTempDir('fuzz-config');
});
afterAll(async () => {
  rejections.check();
  rejections.dispose();
  await removeTempDirs();
});

describe('config.json reader, fuzzed', () => {
  it(`refuses ${FUZZ_RUNS} damaged configs with an InputError, or reads sane facts from them`, () => {
    const rss = rssWatch();
    fc.assert(
      fc.property(configCase, fc.context(), (c, ctx) => {
        ctx.log(c.label);
        const o = attempt(() => parseJsonObject(c.text, FILE));
        rss.sample();
        expectCleanOutcome(o, InputError, FILE);
        if (c.expect) {
          expect(o.ok).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(c.expect);
        }
        if (o.ok) expectSaneFacts(o.value);
      }),
      fcParams(FUZZ_RUNS),
    );
    rss.check();
  }, fuzzTimeout(FUZZ_RUNS));

  const diskRuns = runsFraction(0.05);
  it(`opens ${diskRuns} folders with damaged config.json bytes: an InputError naming config.json, or sane facts`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(configCase, fc.array(byteMutation, { maxLength: 2 }), fc.option(fc.nat(), { freq: 4 }), async (c, mutations, badUtf8) => {
        const dir = join(work, `case-${n++}`);
        mkdirSync(dir);
        symlinkSync(join(ck.dir, 'model.safetensors'), join(dir, 'model.safetensors'));
        let bytes: Uint8Array = new TextEncoder().encode(c.text);
        for (const m of mutations) bytes = applyByteMutation(bytes, m);
        let expected = mutations.length === 0 ? c.expect : undefined;
        if (badUtf8 !== null) {
          const seq = INVALID_UTF8[badUtf8 % INVALID_UTF8.length];
          const at = badUtf8 % (bytes.length + 1);
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...seq, ...bytes.subarray(at)]);
          expected = /not valid UTF-8/;
        }
        const file = join(dir, 'config.json');
        writeFileSync(file, bytes);
        const o = await attemptAsync(() => openCheckpoint(dir));
        expectCleanOutcome(o, InputError, file);
        if (expected) {
          expect(o.ok).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(expected);
        }
        if (o.ok) {
          expectSaneFacts(o.value.config!);
          expect(o.value.tensors.size).toBe(ck.tensors.size);
        }
      }),
      fcParams(diskRuns),
    );
  }, fuzzTimeout(diskRuns, 30));
});
