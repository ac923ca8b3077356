/** ServiceClient over the Electron preload (window.crucible); responses and events are validated here too. */
import { API, type ApiMethod, type ApiParams, type ApiResult } from '../../../common/contract/api.js';
import { DESKTOP_API, type DesktopBridge, type DesktopMethod, type DesktopParams, type DesktopResult } from '../../../common/contract/desktop.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { parseEventsEach } from '../../../common/contract/hot-events.js';
import { ResponseEnvelopeSchema } from '../../../common/contract/wire.js';
import { ServiceCallError, type ServiceClient } from './client.js';
import { EVENT_REFRESH_MS, perFrame } from './frame-batch.js';

export class IpcClient implements ServiceClient {
  readonly host = 'desktop' as const;
  private nextId = 1;

  constructor(readonly bridge: DesktopBridge) {}

  async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    const res = ResponseEnvelopeSchema.parse(await this.bridge.service({ id: this.nextId++, method, params }));
    if (!res.ok) throw new ServiceCallError(res.error);
    return API[method].result.parse(res.result) as ApiResult<M>;
  }

  async desktop<M extends DesktopMethod>(method: M, params: DesktopParams<M>): Promise<DesktopResult<M>> {
    const res = ResponseEnvelopeSchema.parse(await this.bridge.desktop({ id: this.nextId++, method, params }));
    if (!res.ok) throw new ServiceCallError(res.error);
    return DESKTOP_API[method].result.parse(res.result) as DesktopResult<M>;
  }

  onEvents(listener: (events: ServiceEvent[]) => void): () => void {
    const deliver = perFrame(listener, EVENT_REFRESH_MS);
    return this.bridge.onEvents((m) => {
      try {
        const { events, refused } = parseEventsEach(m);
        for (const r of refused) console.error('Crucible: invalid event from the main process, left out', r.event, r.error);
        deliver(events);
      } catch (e) {
        console.error('Crucible: invalid event batch', e);
      }
    });
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    listener(true);
    return () => undefined;
  }
}
