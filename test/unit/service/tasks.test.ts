/** Service tasks (probes): start, events in order, results validated, cancel, texts by name, refusals. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceEvent } from '../../../common/contract/events.js';
import { ServiceEventSchema } from '../../../common/contract/events.js';
import { parseRequest } from '../../../common/contract/wire.js';
import type { TaskSpec } from '../../../common/contract/tasks.js';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { stubEngine } from './stub-engine.js';
import { stubLoss, stubProbe } from './stub-probe.js';

let dir: string;
let service: Service;
let events: ServiceEvent[];
let probe: ReturnType<typeof stubProbe>;

async function make(o: Parameters<typeof stubProbe>[0] = {}): Promise<void> {
  probe = stubProbe(o);
  const assetsDir = join(dir, 'assets');
  await mkdir(join(assetsDir, 'probe-texts'), { recursive: true });
  await writeFile(join(assetsDir, 'probe-texts', 'prose.txt'), 'Some prose.');
  await writeFile(join(assetsDir, 'probe-texts', 'code.txt'), 'let x = 1;');
  service = createService({ engine: { ...stubEngine(), probe }, configDir: join(dir, 'config'), assetsDir, host: 'web', version: '1.0.0' });
  events = [];
  service.onEvent((e) => events.push(e));
}

async function until(pred: () => boolean): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > 5000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const slider = (texts: string[]): TaskSpec => ({
  kind: 'sliderBarrier',
  recipe: { mergeMethod: 'linear', models: [{ model: 'a', parameters: { weight: 1 } }, { model: 'b', parameters: { weight: 1 } }] },
  recipeDir: '/proj',
  axis: { param: 'weight', model: 1 },
  points: 11,
  range: [0, 1],
  probe: { texts: texts.map((name) => ({ kind: 'bundled' as const, name })) },
  nodeId: 'm1',
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crucible-tasks-'));
});
afterEach(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('probe tasks', () => {
  it('lists the bundled texts', async () => {
    await make();
    const { texts } = await service.api['probe.texts']({});
    expect(texts.map((t) => t.name)).toEqual(['code.txt', 'prose.txt']);
    expect(texts[1]).toMatchObject({ chars: 11, excerpt: 'Some prose.' });
  });

  it('a slider barrier reports every point as it is computed, then the result, all valid on the wire', async () => {
    await make();
    const { taskId } = await service.api['task.start']({ task: slider(['prose.txt', 'code.txt']) });
    await until(() => events.some((e) => e.kind === 'task.finished'));
    for (const e of events) expect(ServiceEventSchema.safeParse(JSON.parse(JSON.stringify(e))).success).toBe(true);
    expect(events.every((e) => 'taskId' in e && e.taskId === taskId)).toBe(true);
    expect(events[0].kind).toBe('task.started');
    const pts = events.flatMap((e) => (e.kind === 'task.event' && e.event.type === 'point' ? [e.event] : []));
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pts[6]).toMatchObject({ lambda: 0.6, value: 0.6 });
    expect(pts[6].losses).toEqual([stubLoss(0.6, 0), stubLoss(0.6, 1)]);
    const fin = events.find((e) => e.kind === 'task.finished');
    if (fin?.kind !== 'task.finished' || fin.result.kind !== 'barrier') throw new Error('no barrier result');
    expect(fin.result.points).toHaveLength(11);
    expect(fin.result.texts.map((t) => t.name)).toEqual(['prose.txt', 'code.txt']);
    // Texts are read by name from the bundled folder, in the order asked; the slider range passes through.
    expect(probe.calls.texts[0]).toEqual(['prose.txt', 'code.txt']);
    expect(probe.calls.ranges[0]).toEqual([0, 1]);
  });

  it('cancel stops a running preview and reports it cancelled, not finished', async () => {
    await make({ delayMs: 30 });
    const { taskId } = await service.api['task.start']({ task: slider(['prose.txt']) });
    await until(() => events.some((e) => e.kind === 'task.event' && e.event.type === 'point'));
    expect(await service.api['task.cancel']({ taskId })).toEqual({ cancelled: true });
    await until(() => events.some((e) => e.kind === 'task.cancelled'));
    expect(events.some((e) => e.kind === 'task.finished')).toBe(false);
    expect(events.filter((e) => e.kind === 'task.event').length).toBeLessThan(11);
  });

  it('tasks queue: the second starts when the first ends; a queued one cancels at once', async () => {
    await make({ delayMs: 5 });
    const a = await service.api['task.start']({ task: slider(['prose.txt']) });
    const b = await service.api['task.start']({ task: slider(['prose.txt']) });
    const c = await service.api['task.start']({ task: slider(['prose.txt']) });
    expect(await service.api['task.cancel']({ taskId: c.taskId })).toEqual({ cancelled: true });
    await until(() => events.filter((e) => e.kind === 'task.finished').length === 2);
    const order = events.filter((e) => e.kind === 'task.started' || e.kind === 'task.finished').map((e) => `${e.kind}:${(e as { taskId: string }).taskId}`);
    expect(order).toEqual([`task.started:${a.taskId}`, `task.finished:${a.taskId}`, `task.started:${b.taskId}`, `task.finished:${b.taskId}`]);
    expect(events.some((e) => e.kind === 'task.cancelled' && e.taskId === c.taskId)).toBe(true);
  });

  it('an unknown bundled text fails the task with a reason, on the node', async () => {
    await make();
    await service.api['task.start']({ task: slider(['../../etc/passwd']) });
    await until(() => events.some((e) => e.kind === 'task.failed'));
    const f = events.find((e) => e.kind === 'task.failed');
    expect(f).toMatchObject({ error: { kind: 'input', nodeId: 'm1', message: "No bundled probe text named '../../etc/passwd' (there are code.txt, prose.txt)." } });
  });

  it('the post-merge check passes within 1e-4 nats and reports a larger difference as not ok', async () => {
    await make({ written: [2.0002] });
    const task: TaskSpec = { kind: 'check', out: 'out', recipeDir: '/proj', probe: { texts: [{ kind: 'bundled', name: 'prose.txt' }] }, preview: [2] };
    await service.api['task.start']({ task });
    await until(() => events.some((e) => e.kind === 'task.finished'));
    const fin = events.find((e) => e.kind === 'task.finished');
    expect(fin).toMatchObject({ result: { kind: 'check', ok: false, tolerance: 1e-4, preview: [2] } });
    expect(probe.calls.checks[0]).toEqual({ out: '/proj/out', preview: [2] });
  });

  it('the contract refuses malformed tasks (unknown fields, too many cells, K out of range)', () => {
    const ok = parseRequest({ id: 1, method: 'task.start', params: { task: slider(['prose.txt']) } });
    expect(ok.ok).toBe(true);
    const extra = parseRequest({ id: 2, method: 'task.start', params: { task: { ...slider(['prose.txt']), extra: 1 } } });
    expect(extra.ok).toBe(false);
    const k = parseRequest({ id: 3, method: 'task.start', params: { task: { ...slider(['prose.txt']), points: 1 } } });
    expect(k.ok).toBe(false);
    const values = Array.from({ length: 30 }, (_, i) => i / 30);
    const big = parseRequest({
      id: 4,
      method: 'task.start',
      params: { task: { kind: 'sweep', recipe: { mergeMethod: 'linear' }, recipeDir: '', axes: [{ param: 'a', values }, { param: 'b', values }], probe: { texts: [{ kind: 'bundled', name: 'x' }] } } },
    });
    expect(big.ok).toBe(false);
  });
});
