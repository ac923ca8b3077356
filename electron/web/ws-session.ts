/**
 * One WebSocket connection: requests are validated against the contract (unknown fields rejected)
 * and dispatched to the service; results are checked against their schema on the way out; events
 * are batched (a job's progress at most 20 times a second) so a fast run does not flood the page.
 */
import type { WebSocket } from 'ws';
import { API, type ApiMethod } from '../../common/contract/api.js';
import { parseRequest, type ServerMessage } from '../../common/contract/wire.js';
import type { Service } from '../service/create-service.js';
import { createEventBatcher } from '../service/event-batcher.js';
import { toServiceError } from '../service/service-error.js';

export function attachSession(ws: WebSocket, service: Service): void {
  const send = (m: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const batcher = createEventBatcher((events) => send({ type: 'events', events }));
  const off = service.onEvent((e) => batcher.push(e));
  ws.on('close', () => {
    off();
    batcher.close();
  });
  // A protocol error (e.g. a message over maxPayload) closes this socket; without a listener the
  // 'error' event would be thrown and take the whole host down.
  ws.on('error', () => ws.terminate());

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      send({ type: 'response', id: -1, ok: false, error: { kind: 'bad-request', message: 'binary messages are not accepted' } });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch {
      send({ type: 'response', id: -1, ok: false, error: { kind: 'bad-request', message: 'message is not JSON' } });
      return;
    }
    const req = parseRequest(raw);
    if (!req.ok) {
      send({ type: 'response', id: req.id ?? -1, ok: false, error: { kind: 'bad-request', message: req.message } });
      return;
    }
    void dispatch(req.method, req.params).then(
      (result) => send({ type: 'response', id: req.id, ok: true, result }),
      (e: unknown) => send({ type: 'response', id: req.id, ok: false, error: toServiceError(e) }),
    );
  });

  async function dispatch(method: ApiMethod, params: unknown): Promise<unknown> {
    const handler = service.api[method] as (p: unknown) => Promise<unknown>;
    const result = await handler(params);
    const checked = API[method].result.safeParse(result);
    if (!checked.success) {
      const why = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`the service gave an invalid ${method} result (${why})`);
    }
    return checked.data;
  }
}
