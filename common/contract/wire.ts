/** Envelopes on the wire (WebSocket and Electron IPC): requests, responses, batched events. */
import { z } from 'zod';
import { API, type ApiMethod } from './api.js';
import { ServiceErrorSchema } from './errors.js';
import { ServiceEventSchema } from './events.js';

export const RequestEnvelopeSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

export const ResponseEnvelopeSchema = z.union([
  z.strictObject({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ServiceErrorSchema }),
]);
export const EventsEnvelopeSchema = z.strictObject({ type: z.literal('events'), events: z.array(ServiceEventSchema) });
export const ServerMessageSchema = z.union([ResponseEnvelopeSchema, EventsEnvelopeSchema]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export type ParsedRequest = { ok: true; id: number; method: ApiMethod; params: unknown } | { ok: false; id: number | null; message: string };

function issues(e: z.ZodError): string {
  return e.issues
    .slice(0, 4)
    .map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`)
    .join('; ');
}

/** Validate an incoming request: the envelope, the method name and its parameters (unknown fields rejected). */
export function parseRequest(raw: unknown): ParsedRequest {
  const env = RequestEnvelopeSchema.safeParse(raw);
  if (!env.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
    return { ok: false, id, message: `malformed request: ${issues(env.error)}` };
  }
  const { id, method } = env.data;
  if (!Object.prototype.hasOwnProperty.call(API, method)) return { ok: false, id, message: `unknown method '${method}'` };
  const m = method as ApiMethod;
  const params = API[m].params.safeParse(env.data.params);
  if (!params.success) return { ok: false, id, message: `invalid parameters for ${m}: ${issues(params.error)}` };
  return { ok: true, id, method: m, params: params.data };
}
