/**
 * Every message the renderer can send (IPC or WebSocket) is validated with unknown fields
 * rejected: each parameter schema of the service and desktop APIs, at every depth, is walked and
 * every object in it must be strict; and random messages never make the validator throw.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { API } from '../../../common/contract/api.js';
import { DESKTOP_API, MenuMessageSchema } from '../../../common/contract/desktop.js';
import { parseRequest, RequestEnvelopeSchema } from '../../../common/contract/wire.js';

interface Def {
  type: string;
  catchall?: { _zod: { def: Def } };
  shape?: Record<string, { _zod: { def: Def } }>;
  [k: string]: unknown;
}

/** Paths of object schemas that accept unknown keys, anywhere inside `schema`. */
function looseObjects(schema: z.ZodType, path = '$', seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const inner = (s: unknown, p: string) => looseObjects(s as z.ZodType, p, seen);
  switch (def.type) {
    case 'object': {
      const out = def.catchall?._zod.def.type === 'never' ? [] : [path];
      for (const [k, v] of Object.entries(def.shape ?? {})) out.push(...inner(v, `${path}.${k}`));
      return out;
    }
    case 'array':
      return inner(def.element, `${path}[]`);
    case 'record':
      return inner(def.valueType, `${path}{}`);
    case 'union':
      return (def.options as unknown[]).flatMap((o, i) => inner(o, `${path}|${i}`));
    case 'intersection':
      return [...inner(def.left, path), ...inner(def.right, path)];
    case 'tuple':
      return (def.items as unknown[]).flatMap((o, i) => inner(o, `${path}[${i}]`));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
    case 'prefault':
      return inner(def.innerType, path);
    case 'pipe':
      return inner(def.in, path);
    case 'lazy':
      return inner((def.getter as () => unknown)(), path);
    default:
      return [];
  }
}

describe('the contract rejects unknown fields everywhere', () => {
  it('the request envelope and the menu message are strict', () => {
    expect(looseObjects(RequestEnvelopeSchema)).toEqual([]);
    expect(looseObjects(MenuMessageSchema)).toEqual([]);
  });

  for (const [name, m] of Object.entries(API)) {
    it(`service method ${name}: parameters are strict at every depth`, () => {
      expect(looseObjects(m.params as z.ZodType, name)).toEqual([]);
    });
  }
  for (const [name, m] of Object.entries(DESKTOP_API)) {
    it(`desktop method ${name}: parameters are strict at every depth`, () => {
      expect(looseObjects(m.params as z.ZodType, name)).toEqual([]);
    });
  }

  it('the walker itself notices a loose object (so the checks above can fail)', async () => {
    const { z } = await import('zod');
    expect(looseObjects(z.strictObject({ a: z.array(z.object({ b: z.string() })) }))).toEqual(['$.a[]']);
    expect(looseObjects(z.strictObject({ a: z.union([z.strictObject({}), z.looseObject({})]).optional() }))).toEqual(['$.a|1']);
  });

  it('parseRequest never throws on 5,000 random messages, and refuses every envelope with an extra field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ id: fc.nat(), method: fc.constantFrom(...Object.keys(API)), params: fc.anything() })), (raw) => {
        const r = parseRequest(raw);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.message.length).toBeLessThan(4000);
      }),
      { numRuns: 5000, seed: 7 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(API)), fc.string({ minLength: 1 }).filter((k) => !['id', 'method', 'params'].includes(k)), (method, extra) => {
        expect(parseRequest({ id: 1, method, params: {}, [extra]: 1 }).ok).toBe(false);
      }),
      { numRuns: 500, seed: 8 },
    );
  });
});
