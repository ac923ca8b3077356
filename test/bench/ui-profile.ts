/**
 * What the page's main thread does while it is measured (CRUCIBLE_UI_PROFILE=1 npm run bench -- ui):
 * a Chromium trace of the renderer's main thread (time in style, layout, paint, script, garbage
 * collection…) and a sampling CPU profile of its JavaScript (self time by function), printed as the
 * largest items. Diagnosis only: nothing here is a target.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** Thread (CPU) time, µs: below dur when the thread waited for a core. */
  tdur?: number;
  args?: { name?: string };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface MainThreadProfile {
  stop(): Promise<string>;
}

const TOP = 14;

function table(rows: [string, number][], total: number, unit: string): string {
  return rows
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([k, v]) => `    ${v.toFixed(0).padStart(6)} ${unit} ${((100 * v) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
}

/**
 * Trace events of the renderer's main thread, summed by name (events nest: shares overlap), with
 * the thread time of the top-level tasks: wall time well above it means the thread was runnable
 * but waiting for a core (a loaded machine), not busy with the page's own work.
 */
function traceSummary(json: string, seconds: number): string {
  const events = (JSON.parse(json) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return '  (no renderer main thread in the trace)';
  const sums = new Map<string, number>();
  let taskWall = 0;
  let taskCpu = 0;
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !e.dur) continue;
    sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
    if (e.name === 'RunTask') {
      taskWall += e.dur / 1000;
      taskCpu += (e.tdur ?? e.dur) / 1000;
    }
  }
  return (
    `  renderer main thread, ${seconds.toFixed(1)} s traced: tasks took ${taskWall.toFixed(0)} ms of wall time and ${taskCpu.toFixed(0)} ms of thread (CPU) time\n` +
    `  wall ms per event kind (nested kinds overlap):\n${table([...sums], seconds * 1000, 'ms')}`
  );
}

/** JavaScript self time by function (sampled). */
function cpuSummary(nodes: ProfileNode[], samplingMs: number): string {
  const sums = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const file = n.callFrame.url.split('/').pop() ?? '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}${file ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    sums.set(key, (sums.get(key) ?? 0) + hits * samplingMs);
    total += hits * samplingMs;
  }
  return `  JavaScript self time by function (sampled every ${samplingMs} ms):\n${table([...sums], total, 'ms')}`;
}

export async function profileMainThread(browser: Browser, page: Page): Promise<MainThreadProfile> {
  const samplingMs = 1;
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: samplingMs * 1000 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing'] });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  return {
    async stop() {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[] } };
      const trace = (await browser.stopTracing()).toString('utf8');
      await cdp.detach();
      return `${traceSummary(trace, (Date.now() - t0) / 1000)}\n${cpuSummary(profile.nodes, samplingMs)}`;
    },
  };
}
