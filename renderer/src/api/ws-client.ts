/** ServiceClient over the web host's WebSocket (token from the page URL); every message is validated. */
import { API, type ApiMethod, type ApiParams, type ApiResult } from '../../../common/contract/api.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { isEventsEnvelope, parseEventsEach } from '../../../common/contract/hot-events.js';
import { ServerMessageSchema } from '../../../common/contract/wire.js';
import { ServiceCallError, type ServiceClient } from './client.js';
import { EVENT_REFRESH_MS, perFrame } from './frame-batch.js';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  method: ApiMethod;
}

export class WsClient implements ServiceClient {
  readonly host = 'web' as const;
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: string[] = [];
  private readonly eventListeners = new Set<(e: ServiceEvent[]) => void>();
  private readonly connListeners = new Set<(c: boolean) => void>();
  private retry = 0;
  private readonly deliverEvents = perFrame<ServiceEvent>((events) => {
    for (const l of this.eventListeners) l(events);
  }, EVENT_REFRESH_MS);

  constructor(private readonly url: string) {
    this.open();
  }

  private open(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      for (const m of this.queue.splice(0)) ws.send(m);
      for (const l of this.connListeners) l(true);
    };
    ws.onmessage = (ev) => this.receive(String(ev.data));
    ws.onclose = () => {
      for (const l of this.connListeners) l(false);
      for (const [, p] of this.pending) p.reject(new ServiceCallError({ kind: 'internal', message: 'connection to Crucible lost' }));
      this.pending.clear();
      this.retry = Math.min(this.retry + 1, 6);
      setTimeout(() => this.open(), 200 * 2 ** this.retry);
    };
  }

  private receive(text: string): void {
    let msg;
    try {
      const raw: unknown = JSON.parse(text);
      if (isEventsEnvelope(raw)) {
        const { events, refused } = parseEventsEach(raw);
        for (const r of refused) console.error('Crucible: invalid event from the host, left out', r.event, r.error);
        this.deliverEvents(events);
        return;
      }
      msg = ServerMessageSchema.parse(raw);
    } catch (e) {
      console.error('Crucible: invalid message from the host', e);
      return;
    }
    if (msg.type === 'events') {
      this.deliverEvents(msg.events);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (!msg.ok) {
      p.reject(new ServiceCallError(msg.error));
      return;
    }
    const result = API[p.method].result.safeParse(msg.result);
    if (result.success) p.resolve(result.data);
    else p.reject(new ServiceCallError({ kind: 'internal', message: `invalid ${p.method} result: ${result.error.message}` }));
  }

  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const id = this.nextId++;
    const text = JSON.stringify({ id, method, params });
    return new Promise<ApiResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
      else this.queue.push(text);
    });
  }

  onEvents(listener: (events: ServiceEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connListeners.add(listener);
    return () => this.connListeners.delete(listener);
  }
}
