/**
 * Tasks (probes, node stages) run one at a time in their own FIFO queue, beside merges: each has
 * its own cancel, reports `task.started`, its events, and exactly one of `task.finished`,
 * `task.failed` or `task.cancelled`. Results are validated against the contract before they leave.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceEvent } from '../../common/contract/events.js';
import { TaskResultSchema, type TaskEvent, type TaskResult, type TaskSpec } from '../../common/contract/tasks.js';
import { toServiceError } from './service-error.js';

export interface TaskContext {
  signal: AbortSignal;
  emit(event: TaskEvent): void;
}

export type TaskRunner = (spec: TaskSpec, ctx: TaskContext) => Promise<TaskResult>;

interface Task {
  id: string;
  spec: TaskSpec;
  controller: AbortController;
}

export class TaskQueue {
  private readonly queue: Task[] = [];
  private running: Task | null = null;

  constructor(
    private readonly run: TaskRunner,
    private readonly emit: (event: ServiceEvent) => void,
  ) {}

  start(spec: TaskSpec): string {
    const task: Task = { id: randomUUID(), spec, controller: new AbortController() };
    this.queue.push(task);
    queueMicrotask(() => void this.pump());
    return task.id;
  }

  cancel(taskId: string): boolean {
    if (this.running?.id === taskId) {
      this.running.controller.abort();
      return true;
    }
    const i = this.queue.findIndex((t) => t.id === taskId);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    this.emit({ kind: 'task.cancelled', taskId });
    return true;
  }

  cancelAll(): void {
    for (const t of [...this.queue]) this.cancel(t.id);
    this.running?.controller.abort();
  }

  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 10));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const task = this.queue.shift();
    if (!task) return;
    this.running = task;
    try {
      await this.execute(task);
    } finally {
      this.running = null;
      void this.pump();
    }
  }

  private async execute(task: Task): Promise<void> {
    const { signal } = task.controller;
    const taskId = task.id;
    this.emit({ kind: 'task.started', taskId });
    try {
      const result = await this.run(task.spec, { signal, emit: (event) => this.emit({ kind: 'task.event', taskId, event }) });
      if (signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'CancelledError' });
      const checked = TaskResultSchema.safeParse(result);
      if (!checked.success) throw new Error(`the ${task.spec.kind} task gave an invalid result: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      this.emit({ kind: 'task.finished', taskId, result: checked.data });
    } catch (e) {
      const error = toServiceError(e);
      if (signal.aborted || error.kind === 'cancelled') this.emit({ kind: 'task.cancelled', taskId });
      else this.emit({ kind: 'task.failed', taskId, error: { ...error, nodeId: error.nodeId ?? task.spec.nodeId } });
    }
  }
}
