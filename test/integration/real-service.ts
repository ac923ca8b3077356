/**
 * The service over the real engine, loaded from dist/ as the web host runs it, for integration
 * tests of jobs: its events collected, a job run to its end, the service closed afterwards.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface ServiceEvent {
  kind: string;
  jobId?: string;
  event?: { type: string; [key: string]: unknown };
  error?: { nodeId?: string; message: string };
}

/** The service's API as these tests call it (the contract validates the messages). */
export interface TestService {
  api: Record<string, (request: unknown) => Promise<any>>;
  close(): Promise<void>;
}

const END_KINDS = ['job.finished', 'job.failed', 'job.cancelled'];

/** Runs fn with a fresh service (its config in configDir, created) and every event it emits; closes it after. */
export async function withRealService<T>(configDir: string, fn: (service: TestService, events: ServiceEvent[]) => Promise<T>): Promise<T> {
  const { createService } = await import(join(ROOT, 'dist/electron/service/create-service.js'));
  const { realEngine } = await import(join(ROOT, 'dist/electron/service/real-engine.js'));
  await mkdir(configDir);
  const service = createService({ engine: realEngine(), configDir, assetsDir: join(ROOT, 'assets'), host: 'web', version: 'test', threads: 2 });
  const events: ServiceEvent[] = [];
  service.onEvent((e: ServiceEvent) => events.push(e));
  try {
    return await fn(service, events);
  } finally {
    await service.close();
  }
}

/** Starts the job and waits (at most timeoutMs) for its end event: finished, failed or cancelled. */
export async function runJobToEnd(service: TestService, events: ServiceEvent[], job: unknown, timeoutMs = 120_000): Promise<{ jobId: string; end: ServiceEvent | undefined }> {
  const { jobId } = (await service.api['run.start']({ job })) as { jobId: string };
  const ended = () => events.find((e) => e.jobId === jobId && END_KINDS.includes(e.kind));
  const deadline = Date.now() + timeoutMs;
  while (!ended() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { jobId, end: ended() };
}

/** The job's stage events, in order. */
export function stageEvents(events: readonly ServiceEvent[], jobId: string): unknown[] {
  return events.filter((e) => e.jobId === jobId && e.kind === 'job.event' && e.event?.type === 'stage').map((e) => e.event);
}
