/**
 * Fuzzes the mergekit YAML importer: the 66 community recipes damaged at random, plus deep
 * nesting (flow, block, compact), enormous files, billion-laughs aliases, duplicate keys and
 * tabs. Each must end in a RecipeError naming the file, or import into a recipe of a known method
 * — within a time bound. (Undecodable bytes are the file reader's concern: see the CLI's tests.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMethodId } from '../../common/methods/registry.js';
import { parseMergekitYaml } from '../../electron/engine/recipe/mergekit-yaml.js';
import { RecipeError } from '../../electron/engine/recipe/recipe-error.js';
import { attempt, expectCleanOutcome, fcParams, FUZZ_RUNS, fuzzTimeout, rssWatch, unhandledRejectionWatch } from './fuzz-budget.js';
import { applyTextMutation, textMutation } from './mutations.js';

const FILE = '/recipes/fuzz.yaml';
const RECIPES_DIR = new URL('../fixtures/recipes/', import.meta.url);
const CORPUS = readdirSync(RECIPES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => readFileSync(new URL(f, RECIPES_DIR), 'utf8'));
/** Which corpus recipes import as they are (some are deliberately broken community files). */
const IMPORTS = CORPUS.map((text) => attempt(() => parseMergekitYaml(text, FILE)).ok);

/** `levels` anchors, each a list of `fanout` aliases of the one before: fanout^levels strings if expanded. */
export function billionLaughs(levels: number, fanout: number, where: 'top' | 'param' | 'models'): string {
  let lol = `lol0: &a0 [${Array(fanout).fill('"lol"').join(',')}]\n`;
  for (let i = 1; i < levels; i++) lol += `lol${i}: &a${i} [${Array(fanout).fill(`*a${i - 1}`).join(',')}]\n`;
  const last = `*a${levels - 1}`;
  const body =
    where === 'param' ? `models:\n  - model: x\n    parameters:\n      weight: ${last}\n`
    : where === 'models' ? `models: ${last}\n`
    : 'models:\n  - model: x\n  - model: y\n';
  return `merge_method: linear\n${lol}${body}`;
}

type Special =
  | { kind: 'flowDepth'; depth: number; map: boolean }
  | { kind: 'blockDepth'; depth: number; seq: boolean }
  | { kind: 'compactDepth'; depth: number; indicator: string }
  | { kind: 'laughs'; levels: number; fanout: number; where: 'top' | 'param' | 'models' }
  | { kind: 'enormous'; what: 'string' | 'keys' | 'models' | 'docs' | 'gradient' | 'anchors'; n: number }
  | { kind: 'duplicate'; recipe: number }
  | { kind: 'tabs'; recipe: number }
  | { kind: 'random'; text: string };

const special: fc.Arbitrary<Special> = fc.oneof(
  fc.record({ kind: fc.constant('flowDepth' as const), depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1_000, 100_000)), map: fc.boolean() }),
  fc.record({ kind: fc.constant('blockDepth' as const), depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(1_400)), seq: fc.boolean() }),
  fc.record({ kind: fc.constant('compactDepth' as const), depth: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1_000, 100_000)), indicator: fc.constantFrom('- ', '? ', 'a: ') }),
  fc.record({ kind: fc.constant('laughs' as const), levels: fc.integer({ min: 2, max: 12 }), fanout: fc.integer({ min: 2, max: 12 }), where: fc.constantFrom('top' as const, 'param' as const, 'models' as const) }),
  fc.record({
    kind: fc.constant('enormous' as const),
    what: fc.constantFrom('string' as const, 'keys' as const, 'models' as const, 'docs' as const, 'gradient' as const, 'anchors' as const),
    // Mostly around the limits (cheap to refuse); a few large ones.
    n: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 120 }) }, { weight: 1, arbitrary: fc.constantFrom(101, 1001, 3001, 262_145, 300_000) }),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), recipe: fc.nat() }),
  fc.record({ kind: fc.constant('tabs' as const), recipe: fc.nat() }),
  fc.record({ kind: fc.constant('random' as const), text: fc.string({ maxLength: 200, unit: 'binary' }) }),
);

function specialText(s: Special): { text: string; expect?: RegExp } {
  switch (s.kind) {
    case 'flowDepth': {
      const open = s.map ? '{a: ' : '[';
      const close = s.map ? '}' : ']';
      return { text: `merge_method: linear\nmodels: ${open.repeat(s.depth)}x${close.repeat(s.depth)}\n`, expect: s.depth > 64 ? /nested more than 64 levels|more than \d+ (characters|entries)/ : undefined };
    }
    case 'blockDepth': {
      const lines = ['merge_method: linear', 'models:'];
      for (let i = 1; i <= s.depth; i++) lines.push(' '.repeat(i) + (s.seq ? '- ' : 'a:'));
      return { text: lines.join('\n') + ' x\n', expect: s.depth > 64 ? /nested more than 64 levels/ : undefined };
    }
    case 'compactDepth':
      return { text: `merge_method: linear\nmodels:\n  ${s.indicator.repeat(s.depth)}x\n`, expect: s.depth > 64 ? /nested more than 64 levels|more than \d+ (characters|entries)/ : undefined };
    case 'laughs':
      return { text: billionLaughs(s.levels, s.fanout, s.where), expect: s.where === 'top' ? undefined : /must be|anchors and aliases|entries/ };
    case 'enormous': {
      const n = s.n;
      switch (s.what) {
        case 'string':
          return { text: `merge_method: linear\nmodels:\n  - model: "${'m'.repeat(n * 4)}"\n`, expect: n * 4 > 1 << 20 ? /more than the 1048576/ : undefined };
        case 'keys':
          return { text: 'merge_method: linear\nmodels: [a]\n' + Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n'), expect: n > 3000 ? /more than 3000 entries|characters/ : undefined };
        case 'models':
          return { text: 'merge_method: linear\nmodels:\n' + Array.from({ length: n }, (_, i) => `  - model: m${i}\n    parameters:\n      weight: ${i}`).join('\n'), expect: n > 1000 ? /more than 3000 entries|characters/ : undefined };
        case 'docs':
          return { text: 'merge_method: linear\nmodels: [a]\n' + '---\nmerge_method: linear\nmodels: [a]\n'.repeat(n), expect: n > 100 ? /more than 100 documents|entries|characters/ : undefined };
        case 'gradient':
          return { text: `merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: [${Array.from({ length: n }, (_, i) => i / n).join(', ')}]\n`, expect: n > 3000 ? /more than 3000 entries|characters/ : undefined };
        case 'anchors':
          return { text: 'merge_method: linear\nmodels: [a]\n' + Array.from({ length: n }, (_, i) => `k${i}: &a${i} ${i}`).join('\n'), expect: n > 100 ? /more than 100 anchors|entries|characters/ : undefined };
      }
      break;
    }
    case 'duplicate': {
      const recipe = CORPUS[s.recipe % CORPUS.length];
      const first = /^(merge_method:.*)$/m.exec(recipe);
      return { text: first ? `${recipe}\n${first[1]}\n` : recipe, expect: first && IMPORTS[s.recipe % CORPUS.length] && !recipe.includes('\n---') ? /duplicate key 'merge_method'/ : undefined };
    }
    case 'tabs': {
      const recipe = CORPUS[s.recipe % CORPUS.length];
      return { text: recipe.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)) };
    }
    case 'random':
      return { text: s.text };
  }
}

const yamlCase = fc.oneof(
  { weight: 6, arbitrary: fc.record({ recipe: fc.nat(), mutations: fc.array(textMutation, { minLength: 1, maxLength: 5 }) }).map(({ recipe, mutations }) => ({
    text: mutations.reduce(applyTextMutation, CORPUS[recipe % CORPUS.length]),
    expect: undefined as RegExp | undefined,
    label: `recipe ${recipe % CORPUS.length} + ${JSON.stringify(mutations).slice(0, 300)}`,
  })) },
  { weight: 2, arbitrary: special.map((s) => ({ ...specialText(s), label: JSON.stringify(s).slice(0, 300) })) },
).map((c) => Object.assign(c, { [fc.toStringMethod]: () => `${c.label} (${c.text.length} chars)` }));

let rejections: ReturnType<typeof unhandledRejectionWatch>;
beforeAll(() => {
  rejections = unhandledRejectionWatch();
});
afterAll(() => {
  rejections.check();
  rejections.dispose();
});

describe('mergekit YAML importer, fuzzed', () => {
  it('imports every corpus recipe unchanged (the starting points are valid)', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    let imported = 0;
    for (const text of CORPUS) {
      const o = attempt(() => parseMergekitYaml(text, FILE));
      expectCleanOutcome(o, RecipeError, FILE);
      if (o.ok) imported++;
    }
    expect(imported).toBeGreaterThan(CORPUS.length / 2);
  });

  it(`refuses ${FUZZ_RUNS} damaged, deep, enormous or aliased recipes with a RecipeError, or imports them`, () => {
    const rss = rssWatch();
    fc.assert(
      fc.property(yamlCase, fc.context(), (c, ctx) => {
        ctx.log(c.label);
        const o = attempt(() => parseMergekitYaml(c.text, FILE));
        rss.sample();
        expectCleanOutcome(o, RecipeError, FILE);
        if (c.expect) {
          expect(o.ok).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(c.expect);
        }
        if (o.ok) {
          for (const r of o.value.recipes) {
            expect(isMethodId(r.mergeMethod)).toBe(true);
            expect(r.models !== undefined || r.slices !== undefined).toBe(true);
            expect(() => JSON.stringify(r)).not.toThrow();
          }
        }
      }),
      fcParams(FUZZ_RUNS),
    );
    rss.check();
  }, fuzzTimeout(FUZZ_RUNS, 10));

  it('refuses a 12-level billion-laughs file where a value is expected, in well under a second', () => {
    for (const where of ['param', 'models'] as const) {
      const o = attempt(() => parseMergekitYaml(billionLaughs(10, 10, where), FILE));
      expectCleanOutcome(o, RecipeError, FILE);
      expect(o.ok).toBe(false);
      expect(o.ms).toBeLessThan(1000);
    }
  });
});
