/**
 * Validation of event batches with a fast path for the two events a merge run sends by the
 * thousand (a tensor done, progress): checked by hand with exactly the acceptance of their zod
 * schemas (test/unit/contract/hot-events.test.ts compares the two on generated near-misses), at a
 * small fraction of the cost. Every other event, and anything the fast path does not accept, goes
 * through the schema, so what is accepted and what is returned are the schema's.
 */
import { TensorGroupSchema } from './checkpoint.js';
import { ServiceEventSchema, type ServiceEvent } from './events.js';
import { EventsEnvelopeSchema, ServerMessageSchema, type ServerMessage } from './wire.js';

type Obj = Record<string, unknown>;

const GROUPS: ReadonlySet<unknown> = new Set(TensorGroupSchema.options);
const PROGRESS_NUMBERS = ['tensorsDone', 'tensorsTotal', 'bytesDone', 'bytesTotal', 'bytesPerSecond', 'elapsedSeconds'] as const;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Exactly these own keys (a strict object's check, every key required). */
function hasExactly(o: Obj, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  if (own.length !== keys.length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(o, k)) return false;
  return true;
}

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

const TENSOR_KEYS = ['type', 'name', 'layer', 'group'];
const PROGRESS_KEYS = ['type', ...PROGRESS_NUMBERS, 'etaSeconds'];
const JOB_EVENT_KEYS = ['kind', 'jobId', 'event'];

function isHotRunEvent(e: Obj): boolean {
  if (e.type === 'tensor') {
    return hasExactly(e, TENSOR_KEYS) && typeof e.name === 'string' && (e.layer === null || Number.isSafeInteger(e.layer)) && GROUPS.has(e.group);
  }
  if (e.type === 'progress') {
    if (!hasExactly(e, PROGRESS_KEYS)) return false;
    for (const k of PROGRESS_NUMBERS) if (!finite(e[k])) return false;
    return e.etaSeconds === null || finite(e.etaSeconds);
  }
  return false;
}

/** A job's tensor or progress event that the schema would accept unchanged. */
export function isHotServiceEvent(x: unknown): x is ServiceEvent {
  return isObject(x) && x.kind === 'job.event' && hasExactly(x, JOB_EVENT_KEYS) && typeof x.jobId === 'string' && isObject(x.event) && isHotRunEvent(x.event);
}

/** ServiceEventSchema.parse, fast for the hot events. Throws the schema's error. */
export function parseServiceEvent(x: unknown): ServiceEvent {
  return isHotServiceEvent(x) ? x : ServiceEventSchema.parse(x);
}

/** EventsEnvelopeSchema.parse, fast for the hot events. Throws the schema's error. */
export function parseEventsEnvelope(x: unknown): { type: 'events'; events: ServiceEvent[] } {
  if (!isObject(x) || x.type !== 'events' || !hasExactly(x, ['type', 'events']) || !Array.isArray(x.events)) return EventsEnvelopeSchema.parse(x);
  return { type: 'events', events: x.events.map(parseServiceEvent) };
}

/** ServerMessageSchema.parse, fast for event batches. Throws the schema's error. */
export function parseServerMessage(x: unknown): ServerMessage {
  return isObject(x) && x.type === 'events' ? parseEventsEnvelope(x) : ServerMessageSchema.parse(x);
}

/** Events the schema refused, with its error, set aside by parseEventsEach. */
export interface RefusedEvent {
  event: unknown;
  error: unknown;
}

/**
 * An event batch, each event validated on its own: one the schema refuses is set aside, with its
 * error, instead of taking the batch's valid events with it (a run's tensor, progress and warning
 * events would be lost for one bad diagnostics event). The envelope itself must be valid: else
 * the schema's error is thrown.
 */
export function parseEventsEach(x: unknown): { events: ServiceEvent[]; refused: RefusedEvent[] } {
  if (!isObject(x) || x.type !== 'events' || !hasExactly(x, ['type', 'events']) || !Array.isArray(x.events)) {
    return { events: EventsEnvelopeSchema.parse(x).events, refused: [] };
  }
  const events: ServiceEvent[] = [];
  const refused: RefusedEvent[] = [];
  for (const e of x.events as unknown[]) {
    try {
      events.push(parseServiceEvent(e));
    } catch (error) {
      refused.push({ event: e, error });
    }
  }
  return { events, refused };
}

/** A batch envelope, to be read by parseEventsEach (anything else is a response for ServerMessageSchema). */
export function isEventsEnvelope(x: unknown): boolean {
  return isObject(x) && x.type === 'events';
}
