import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceEventSchema } from '../../../common/contract/events.js';
import { isEventsEnvelope, isHotServiceEvent, parseEventsEach, parseEventsEnvelope, parseServerMessage } from '../../../common/contract/hot-events.js';
import { ServerMessageSchema } from '../../../common/contract/wire.js';

const tensor = { kind: 'job.event', jobId: 'j1', event: { type: 'tensor', name: 'model.layers.0.mlp.up_proj.weight', layer: 0, group: 'mlp' } };
const progress = {
  kind: 'job.event',
  jobId: 'j1',
  event: { type: 'progress', tensorsDone: 3, tensorsTotal: 10, bytesDone: 30, bytesTotal: 100, bytesPerSecond: 1e6, elapsedSeconds: 0.5, etaSeconds: null },
};

/** Values that are right, or wrong in the ways a field can be. */
const anyValue = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, -1, 1.5, 2 ** 53, -(2 ** 53), Number.NaN, Infinity, -Infinity, '', 'x', 'mlp', 'attention', 'tensor', 'progress', 'job.event', 'job.started', [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
);

/** A valid hot event, then a few random edits: a field replaced, removed, or an extra one added. */
const nearMiss = fc
  .tuple(
    fc.constantFrom(tensor, progress),
    fc.array(
      fc.tuple(fc.constantFrom('outer', 'inner'), fc.constantFrom('set', 'delete', 'add'), fc.constantFrom('kind', 'jobId', 'event', 'type', 'name', 'layer', 'group', 'tensorsDone', 'bytesPerSecond', 'etaSeconds', 'extra', '__proto__'), anyValue),
      { maxLength: 3 },
    ),
  )
  .map(([base, edits]) => {
    const outer: Record<string, unknown> = { ...base, event: { ...base.event } };
    for (const [where, op, key, value] of edits) {
      const target = where === 'outer' ? outer : outer.event;
      if (typeof target !== 'object' || target === null) continue;
      const t = target as Record<string, unknown>;
      if (op === 'delete') delete t[key];
      else Object.defineProperty(t, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return outer;
  });

describe('hot events: the fast path accepts exactly what the schema accepts, unchanged', () => {
  it('accepts a tensor and a progress event', () => {
    expect(isHotServiceEvent(tensor)).toBe(true);
    expect(isHotServiceEvent(progress)).toBe(true);
    expect(isHotServiceEvent({ ...tensor, event: { ...tensor.event, layer: null } })).toBe(true);
  });

  it('on 20,000 near-misses: whatever it accepts, the schema accepts and returns equal', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(nearMiss, (e) => {
        const zod = ServiceEventSchema.safeParse(e);
        if (isHotServiceEvent(e)) {
          accepted++;
          expect(zod.success).toBe(true);
          expect(zod.data).toEqual(e);
        } else rejected++;
      }),
      { numRuns: 20_000 },
    );
    // Both sides were exercised.
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('parses batches as the schema does: the same events, and the same refusals', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(nearMiss, fc.constant(tensor), fc.constant({ kind: 'job.cancelled', jobId: 'j1' })), { maxLength: 6 }), (events) => {
        const raw = { type: 'events', events };
        const zod = ServerMessageSchema.safeParse(raw);
        let fast: unknown;
        let threw = false;
        try {
          fast = parseServerMessage(raw);
        } catch {
          threw = true;
        }
        expect(threw).toBe(!zod.success);
        if (zod.success) expect(fast).toEqual(zod.data);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses envelopes the schema refuses', () => {
    expect(() => parseEventsEnvelope({ type: 'events', events: [tensor], extra: 1 })).toThrow();
    expect(() => parseEventsEnvelope({ type: 'events', events: {} })).toThrow();
    expect(() => parseServerMessage({ type: 'events' })).toThrow();
    expect(parseServerMessage({ type: 'response', id: 1, ok: true, result: 3 })).toEqual({ type: 'response', id: 1, ok: true, result: 3 });
  });

  it('parseEventsEach keeps the valid events of a batch and sets aside the one the schema refuses', () => {
    const warning = { kind: 'job.event', jobId: 'j1', event: { type: 'warning', message: 'tensor w: 2 of 3 values written are Inf' } };
    // A diagnostics event whose stats are missing their fields: refused by the schema.
    const bad = { kind: 'job.event', jobId: 'j1', event: { type: 'diagnostics', name: 'w', layer: 0, group: 'mlp', stats: { mergedNorm: 1 } } };
    const { events, refused } = parseEventsEach({ type: 'events', events: [tensor, bad, warning, progress] });
    expect(events).toEqual([tensor, warning, progress]);
    expect(refused).toHaveLength(1);
    expect(refused[0].event).toBe(bad);
    // The whole batch used to be refused for that one event.
    expect(() => parseEventsEnvelope({ type: 'events', events: [tensor, bad] })).toThrow();
  });

  it('parseEventsEach refuses a bad envelope as the schema does; isEventsEnvelope tells batches from responses', () => {
    expect(() => parseEventsEach({ type: 'events', events: {} })).toThrow();
    expect(() => parseEventsEach({ type: 'events', events: [tensor], extra: 1 })).toThrow();
    expect(isEventsEnvelope({ type: 'events', events: [] })).toBe(true);
    expect(isEventsEnvelope({ type: 'response', id: 1, ok: true, result: 3 })).toBe(false);
    expect(isEventsEnvelope(null)).toBe(false);
  });
});
