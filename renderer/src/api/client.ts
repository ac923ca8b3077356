/** The renderer's view of the service: typed calls and pushed events, over WebSocket or Electron IPC. */
import type { ApiMethod, ApiParams, ApiResult } from '../../../common/contract/api.js';
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { ServiceError } from '../../../common/contract/errors.js';

export interface ServiceClient {
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Events arrive in batches, on an animation frame, about ten times a second (api/frame-batch.ts). */
  onEvents(listener: (events: ServiceEvent[]) => void): () => void;
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  readonly host: 'web' | 'desktop';
}

export class ServiceCallError extends Error {
  constructor(readonly error: ServiceError) {
    super(error.message);
    this.name = 'ServiceCallError';
  }
}
