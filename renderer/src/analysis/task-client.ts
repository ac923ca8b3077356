/**
 * Starting and following service tasks (probes, node stages): handlers by task id, and events
 * that arrive before `task.start` has answered with the id held until it does.
 */
import type { ServiceEvent } from '../../../common/contract/events.js';
import type { ServiceError } from '../../../common/contract/errors.js';
import type { TaskEvent, TaskResult, TaskSpec } from '../../../common/contract/tasks.js';
import { service } from '../api/service.js';

export interface TaskHandlers {
  started?(): void;
  event?(e: TaskEvent): void;
  finished(result: TaskResult): void;
  failed(error: ServiceError): void;
  cancelled(): void;
}

type TaskServiceEvent = Extract<ServiceEvent, { taskId: string }>;

const handlers = new Map<string, TaskHandlers>();
/** Events of ids not (yet) known here, kept briefly. */
const early = new Map<string, TaskServiceEvent[]>();
const EARLY_LIMIT = 64;

function deliver(h: TaskHandlers, e: TaskServiceEvent): void {
  switch (e.kind) {
    case 'task.started':
      h.started?.();
      break;
    case 'task.event':
      h.event?.(e.event);
      break;
    case 'task.finished':
      handlers.delete(e.taskId);
      h.finished(e.result);
      break;
    case 'task.failed':
      handlers.delete(e.taskId);
      h.failed(e.error);
      break;
    case 'task.cancelled':
      handlers.delete(e.taskId);
      h.cancelled();
      break;
  }
}

/** Feed a batch of service events (listen.ts calls this). */
export function routeTaskEvents(events: readonly ServiceEvent[]): void {
  for (const e of events) {
    if (!('taskId' in e)) continue;
    const h = handlers.get(e.taskId);
    if (h) deliver(h, e);
    else {
      const held = early.get(e.taskId) ?? [];
      held.push(e);
      early.set(e.taskId, held);
      if (early.size > EARLY_LIMIT) early.delete(early.keys().next().value as string);
    }
  }
}

/** Starts a task; resolves with its id once the service has queued it. */
export async function startTask(spec: TaskSpec, h: TaskHandlers): Promise<string> {
  const { taskId } = await service().call('task.start', { task: spec });
  handlers.set(taskId, h);
  const held = early.get(taskId);
  early.delete(taskId);
  for (const e of held ?? []) if (handlers.get(taskId) === h) deliver(h, e);
  return taskId;
}

export async function cancelTask(taskId: string): Promise<boolean> {
  return (await service().call('task.cancel', { taskId })).cancelled;
}

/** Runs a task to its end: the result, or a rejection (ServiceError-like, kind 'cancelled' when cancelled). */
export function runTask(spec: TaskSpec, onEvent?: (e: TaskEvent) => void, onId?: (taskId: string) => void): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    startTask(spec, {
      event: onEvent,
      finished: resolve,
      failed: (error) => reject(Object.assign(new Error(error.message), { error })),
      cancelled: () => reject(Object.assign(new Error('Cancelled.'), { error: { kind: 'cancelled', message: 'Cancelled.' } })),
    }).then(onId, reject);
  });
}
