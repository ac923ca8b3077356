/**
 * Fuzzes the project-file loader (`.crucible.json`: strict JSON, version detection, v1 migration,
 * schema): the demo project and the saved-file corpus damaged at random, with structural edits
 * (wrong types, unknown fields, duplicate ids, edges to nowhere, newer versions) and generic JSON
 * damage. Each must be refused with the service's input error naming the file, or load into a
 * project that is valid by the current schema — within a time bound.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSchema } from '../../common/graph/project-schema.js';
import { parseProjectText, readProjectFile } from '../../electron/service/project-files.js';
import { ServiceFailure } from '../../electron/service/service-error.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { attempt, attemptAsync, expectCleanOutcome, fcParams, FUZZ_RUNS, fuzzTimeout, rssWatch, runsFraction, unhandledRejectionWatch } from './fuzz-budget.js';
import { damageJson, describeDamage, jsonDamage } from './json-inputs.js';
import { applyByteMutation, byteMutation, INVALID_UTF8 } from './mutations.js';

const FILE = '/projects/fuzz.crucible.json';
const PROJECTS_DIR = new URL('../fixtures/projects/', import.meta.url);
const CORPUS = [
  readFileSync(new URL('../../assets/demo/demo.crucible.json', import.meta.url), 'utf8'),
  ...readdirSync(PROJECTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readFileSync(new URL(f, PROJECTS_DIR), 'utf8')),
];

/** Odd values for any field. */
const ODD: unknown[] = [null, -1, 0, 1.5, 1e308, '', 'x', [], {}, true, ['model'], { kind: 'model' }, 'models/../../etc', 2 ** 53 + 1, '\u0000'];

type Edit =
  | { kind: 'setField'; path: number; value: number }
  | { kind: 'unknownField'; where: number }
  | { kind: 'duplicateNodeId' }
  | { kind: 'danglingEdge' }
  | { kind: 'version'; value: number }
  | { kind: 'dropField'; path: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('setField' as const), path: fc.nat(), value: fc.nat() }),
  fc.record({ kind: fc.constant('unknownField' as const), where: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateNodeId' as const) }),
  fc.record({ kind: fc.constant('danglingEdge' as const) }),
  fc.record({ kind: fc.constant('version' as const), value: fc.nat() }),
  fc.record({ kind: fc.constant('dropField' as const), path: fc.nat() }),
);

/** Every [container, key] of a JSON value, for picking a field to change. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([v as Record<string, unknown>, k]), slots(x, out));
  return out;
}

/** Applies an edit; `refused` when the result certainly breaks the schema. */
function applyEdit(text: string, e: Edit): { text: string; refused: boolean } {
  const p = JSON.parse(text) as { version: number; nodes: { id: string }[]; edges: { source: string; target: string }[] } & Record<string, unknown>;
  const all = slots(p);
  switch (e.kind) {
    case 'setField': {
      const [c, k] = all[e.path % all.length];
      (c as Record<string, unknown>)[k] = ODD[e.value % ODD.length];
      return { text: JSON.stringify(p), refused: false };
    }
    case 'unknownField': {
      // Objects the schema closes (parameter maps are open: any name is a parameter).
      const nodes = p.nodes as unknown as Record<string, Record<string, unknown>>[];
      const closed = [p as Record<string, unknown>, ...nodes, ...nodes.map((n) => n.data), ...nodes.map((n) => n.position), ...(p.edges as unknown as Record<string, unknown>[])];
      const target = closed[e.where % closed.length];
      target['extra'] = 1;
      return { text: JSON.stringify(p), refused: p.version === 2 };
    }
    case 'duplicateNodeId':
      if (p.nodes.length < 2) return { text, refused: false };
      p.nodes[1].id = p.nodes[0].id;
      return { text: JSON.stringify(p), refused: p.version === 2 };
    case 'danglingEdge':
      if (p.edges.length === 0) return { text, refused: false };
      p.edges[0].target = 'no-such-node';
      return { text: JSON.stringify(p), refused: p.version === 2 };
    case 'version':
      p.version = [3, 99, 0, -1, 1.5, 2 ** 53][e.value % 6];
      return { text: JSON.stringify(p), refused: true };
    case 'dropField': {
      const [c, k] = all[e.path % all.length];
      if (Array.isArray(c)) c.splice(k as number, 1);
      else delete c[k];
      return { text: JSON.stringify(p), refused: false };
    }
  }
}

const projectCase = fc.oneof(
  { weight: 2, arbitrary: fc.record({ base: fc.nat(), damage: jsonDamage }).map(({ base, damage }) => {
    const d = damageJson(CORPUS[base % CORPUS.length], damage);
    return { text: d.text, expect: d.expect, label: describeDamage(damage) };
  }) },
  { weight: 1, arbitrary: fc.record({ base: fc.nat(), edits: fc.array(edit, { minLength: 1, maxLength: 3 }) }).map(({ base, edits }) => {
    let text = CORPUS[base % CORPUS.length];
    let refused = false;
    for (const e of edits) {
      let r: { text: string; refused: boolean };
      try {
        r = applyEdit(text, e);
      } catch {
        r = { text, refused: false }; // an earlier edit left no place for this one
      }
      text = r.text;
      refused ||= r.refused && edits.length === 1;
    }
    return { text, expect: refused ? /./ : undefined, label: JSON.stringify(edits) };
  }) },
).map((c) => Object.assign(c, { [fc.toStringMethod]: () => `${c.label} (${c.text.length} chars)` }));

let rejections: ReturnType<typeof unhandledRejectionWatch>;
let dir: string;
beforeAll(async () => {
  rejections = unhandledRejectionWatch();
  dir = await makeTempDir('fuzz-project');
});
afterAll(async () => {
  rejections.check();
  rejections.dispose();
  await removeTempDirs();
});

describe('project-file loader, fuzzed', () => {
  it('loads the corpus as it is (the starting points are valid)', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(2);
    for (const text of CORPUS) expect(ProjectSchema.safeParse(parseProjectText(text, FILE).project).success).toBe(true);
  });

  it(`refuses ${FUZZ_RUNS} damaged project files with an input error naming the file, or loads a valid project`, () => {
    const rss = rssWatch();
    fc.assert(
      fc.property(projectCase, (c) => {
        const o = attempt(() => parseProjectText(c.text, FILE));
        rss.sample();
        expectCleanOutcome(o, ServiceFailure, FILE);
        if (!o.ok) expect((o.error as ServiceFailure).error.kind).toBe('input');
        if (c.expect) {
          expect(o.ok).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(c.expect);
        }
        if (o.ok) expect(ProjectSchema.safeParse(o.value.project).success).toBe(true);
      }),
      fcParams(FUZZ_RUNS),
    );
    rss.check();
  }, fuzzTimeout(FUZZ_RUNS));

  const diskRuns = runsFraction(0.05);
  it(`reads ${diskRuns} damaged project files from disk (bytes, invalid UTF-8) with the same outcome`, async () => {
    let n = 0;
    mkdirSync(join(dir, 'disk'));
    await fc.assert(
      fc.asyncProperty(projectCase, fc.array(byteMutation, { maxLength: 2 }), fc.option(fc.nat(), { freq: 4 }), async (c, mutations, bad) => {
        let bytes: Uint8Array = new TextEncoder().encode(c.text);
        for (const m of mutations) bytes = applyByteMutation(bytes, m);
        if (bad !== null) {
          const at = bad % (bytes.length + 1);
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...INVALID_UTF8[bad % INVALID_UTF8.length], ...bytes.subarray(at)]);
        }
        const file = join(dir, 'disk', `case-${n++}.crucible.json`);
        writeFileSync(file, bytes);
        const o = await attemptAsync(() => readProjectFile(file));
        expectCleanOutcome(o, ServiceFailure, file);
        if (bad !== null) {
          expect(o.ok).toBe(false);
          if (!o.ok) expect((o.error as Error).message).toMatch(/not valid UTF-8/);
        }
        if (o.ok) expect(ProjectSchema.safeParse(o.value.project).success).toBe(true);
      }),
      fcParams(diskRuns),
    );
  }, fuzzTimeout(diskRuns, 20));
});
