/** A stand-in probe engine for service tests: losses from a formula, one point per `delayMs`, honours the abort signal. */
import type { ProbePort } from '../../../electron/service/probe-port.js';
import { ProbeCache } from '../../../electron/engine/probe/sweep/probe-cache.js';
import type { ProbeText } from '../../../electron/engine/probe/text/probe-text.js';

export interface StubProbeCalls {
  texts: string[][];
  ranges: ([number, number] | undefined)[];
  checks: { out: string; preview: number[] }[];
}

const cancelled = () => Object.assign(new Error('Cancelled.'), { name: 'CancelledError' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** loss(v) = 2 + (v − 0.6)², per text shifted by the text's index / 10. */
export function stubLoss(v: number, text: number): number {
  return 2 + (v - 0.6) ** 2 + text / 10;
}

export function stubProbe(o: { delayMs?: number; written?: number[] } = {}): ProbePort & { calls: StubProbeCalls } {
  const calls: StubProbeCalls = { texts: [], ranges: [], checks: [] };
  const points = async (K: number, values: number[], texts: readonly ProbeText[], signal: AbortSignal | undefined, each: (j: number, losses: number[]) => void) => {
    const out: number[][] = [];
    for (let j = 0; j < K; j++) {
      if (o.delayMs) await sleep(o.delayMs);
      if (signal?.aborted) throw cancelled();
      const losses = texts.map((_, t) => stubLoss(values[j], t));
      out.push(losses);
      each(j, losses);
    }
    return out;
  };
  const curve = (lambdas: number[], losses: number[]) => {
    const l0 = losses[0];
    const l1 = losses[losses.length - 1];
    return { points: lambdas.map((lambda, j) => ({ lambda, loss: losses[j] })), barrier: Math.max(...lambdas.map((l, j) => losses[j] - ((1 - l) * l0 + l * l1))) };
  };
  return {
    calls,
    async sliderBarrier(input, axis, opts) {
      calls.texts.push(input.texts.map((t) => t.name));
      calls.ranges.push(opts.range);
      const K = opts.points ?? 11;
      const [lo, hi] = opts.range ?? [0, 1];
      const lambdas = Array.from({ length: K }, (_, j) => j / (K - 1));
      const values = lambdas.map((l) => lo + l * (hi - lo));
      const losses = await points(K, values, input.texts, opts.signal, (j, l) =>
        opts.onCell?.({ type: 'cell', index: j, values: [values[j]], losses: l, mean: l.reduce((s, x) => s + x, 0) / l.length }),
      );
      const mean = losses.map((l) => l.reduce((s, x) => s + x, 0) / l.length);
      const m = curve(lambdas, mean);
      return {
        axis,
        points: m.points.map((p, j) => ({ ...p, value: values[j] })),
        barrier: m.barrier,
        texts: input.texts.map((t, i) => ({ name: t.name, tokens: 100, ...curve(lambdas, losses.map((l) => l[i])) })),
        io: { bytesRead: 1, reads: new Map() },
        warnings: [],
        cached: false,
      };
    },
    async interpolationBarrier(_a, _b, texts, opts) {
      const K = opts.points ?? 11;
      const lambdas = Array.from({ length: K }, (_, j) => j / (K - 1));
      const losses = await points(K, lambdas, texts, opts.signal, (j, l) => opts.onVariant?.({ type: 'variant', variant: j, losses: l }));
      const m = curve(
        lambdas,
        losses.map((l) => l.reduce((s, x) => s + x, 0) / l.length),
      );
      return { ...m, texts: texts.map((t, i) => ({ name: t.name, tokens: 100, ...curve(lambdas, losses.map((l) => l[i])) })), io: { bytesRead: 1, reads: new Map() }, warnings: [] };
    },
    async recipeSweep(input, axes, opts) {
      let settings: number[][] = [[]];
      for (const a of axes) settings = settings.flatMap((c) => a.values.map((v) => [...c, v]));
      const cells: { values: number[]; losses: number[]; mean: number }[] = [];
      for (let j = 0; j < settings.length; j++) {
        if (o.delayMs) await sleep(o.delayMs);
        if (opts.signal?.aborted) throw cancelled();
        const v = settings[j].reduce((s, x) => s + x, 0) / settings[j].length;
        const losses = input.texts.map((_, t) => stubLoss(v, t));
        const cell = { values: settings[j], losses, mean: losses.reduce((s, x) => s + x, 0) / losses.length };
        opts.onCell?.({ type: 'cell', index: j, ...cell });
        cells.push(cell);
      }
      const best = cells.reduce((b, c, j) => (c.mean < cells[b].mean ? j : b), 0);
      return { axes, cells, best, texts: input.texts.map((t) => ({ name: t.name, tokens: 100 })), io: { bytesRead: 1, reads: new Map() }, warnings: [], cached: false };
    },
    async checkWrittenModel(out, texts, preview) {
      calls.checks.push({ out, preview: [...preview] });
      const written = texts.map((t, i) => ({ name: t.name, loss: o.written?.[i] ?? preview[i], tokens: 100 }));
      const maxDifference = Math.max(...written.map((w, i) => Math.abs(w.loss - preview[i])));
      const ok = maxDifference <= 1e-4;
      return { ok, written, preview: [...preview], maxDifference, ...(ok ? {} : { message: `${out}: differs by ${maxDifference}` }) };
    },
    async openInputs() {
      return { checkpoints: new Map(), dispose: async () => undefined };
    },
    async readProbeText(path) {
      return { name: path.split('/').pop() ?? path, text: 'hello' };
    },
    async matmul() {
      return { name: 'stub', linear: () => undefined };
    },
    cache() {
      return new ProbeCache();
    },
    async close() {},
    writtenTolerance: 1e-4,
  };
}
