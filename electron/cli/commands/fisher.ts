/**
 * `crucible fisher [estimate] MODEL --out FILE [--text FILE]... [--window N] [--stride N] [--labels model|data] [--force] [--json]`
 *   (`crucible fisher MODEL --text FILE --out FISHER.safetensors` is the form; `estimate` is optional)
 * `crucible fisher merge --model M --fisher F [--weight W] (repeated per model) --out DIR [--dtype D] [--shard-size SIZE] [--force] [--json]`
 * Language models take probe texts (default: the bundled ones); MLP classifiers take CSV data.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRecipeDtype } from '../../engine/io/dtype.js';
import { parseSize } from '../../engine/io/size.js';
import { estimateFisher } from '../../engine/fisher/estimate-fisher.js';
import { fisherMerge } from '../../engine/fisher/fisher-merge.js';
import { bundledProbeTextPaths, readProbeText } from '../../engine/probe/text/probe-text.js';
import { UsageError } from '../exit-codes.js';
import type { Reporter } from '../output.js';

export const FISHER_USAGE = `  crucible fisher [estimate] MODEL --out FILE [--text FILE]... [--window N] [--stride N]
                  [--labels model|data] [--force] [--json]
  crucible fisher merge --model M --fisher F [--weight W] [--model M --fisher F [--weight W]]...
                  --out DIR [--dtype D] [--shard-size SIZE] [--force] [--json]`;

function intOption(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
  return n;
}

async function estimate(args: string[], r: Reporter, signal: AbortSignal): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      text: { type: 'string', multiple: true },
      window: { type: 'string' },
      stride: { type: 'string' },
      labels: { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`crucible fisher estimate takes one MODEL\n${FISHER_USAGE}`);
  if (!values.out) throw new UsageError(`crucible fisher estimate needs --out FILE\n${FISHER_USAGE}`);
  const labels = values.labels;
  if (labels !== undefined && labels !== 'model' && labels !== 'data') throw new UsageError(`--labels must be model or data (got ${JSON.stringify(labels)})`);
  const paths = values.text && values.text.length > 0 ? values.text : bundledProbeTextPaths();
  const texts = await Promise.all(paths.map((p) => readProbeText(resolve(p))));
  let lastLine = 0;
  const res = await estimateFisher(resolve(positionals[0]), texts, values.out, {
    window: intOption(values.window, 'window', 2),
    stride: intOption(values.stride, 'stride', 1),
    labels,
    force: values.force ?? false,
    signal,
    onProgress: (e) => {
      r.event(e);
      const now = Date.now();
      if (!r.json && process.stderr.isTTY && now - lastLine > 200) {
        lastLine = now;
        process.stderr.write(`\r${e.done}/${e.total}   `);
      }
    },
  });
  if (!r.json && process.stderr.isTTY) process.stderr.write('\n');
  r.event({ type: 'done', out: res.out, kind: res.kind, count: res.count, estimator: res.estimator, ...(res.loss !== undefined ? { loss: res.loss } : {}) });
  r.info(`wrote ${res.out}: ${res.estimator}; over ${res.count} ${res.kind === 'mlp' ? 'samples' : 'windows'}`);
}

async function merge(args: string[], r: Reporter, signal: AbortSignal): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', multiple: true },
      fisher: { type: 'string', multiple: true },
      weight: { type: 'string', multiple: true },
      out: { type: 'string' },
      dtype: { type: 'string' },
      'shard-size': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`crucible fisher merge takes --model and --fisher options, not ${JSON.stringify(positionals[0])}\n${FISHER_USAGE}`);
  const models = values.model ?? [];
  const fishers = values.fisher ?? [];
  const weights = values.weight ?? [];
  if (models.length === 0) throw new UsageError(`crucible fisher merge needs at least one --model with its --fisher\n${FISHER_USAGE}`);
  if (fishers.length !== models.length) throw new UsageError(`${models.length} --model and ${fishers.length} --fisher given: give one Fisher file per model, in the same order`);
  if (weights.length !== 0 && weights.length !== models.length) throw new UsageError(`give --weight for every model or for none (${weights.length} weights for ${models.length} models)`);
  if (!values.out) throw new UsageError(`crucible fisher merge needs --out DIR\n${FISHER_USAGE}`);
  const dtype = values.dtype === undefined ? undefined : parseRecipeDtype(values.dtype);
  if (values.dtype !== undefined && !dtype) throw new UsageError(`--dtype must be float32, float16, bfloat16 or float64 (got ${JSON.stringify(values.dtype)})`);
  let shardSize: number | undefined;
  if (values['shard-size'] !== undefined) {
    try {
      shardSize = parseSize(values['shard-size']);
    } catch (err) {
      throw new UsageError(`--shard-size: ${(err as Error).message}`);
    }
  }
  const inputs = models.map((m, i) => {
    const w = weights.length > 0 ? Number(weights[i]) : 1;
    if (!Number.isFinite(w)) throw new UsageError(`--weight must be a number (got ${JSON.stringify(weights[i])})`);
    return { model: resolve(m), fisher: resolve(fishers[i]), weight: w };
  });
  const res = await fisherMerge(inputs, values.out, { dtype, shardSize, force: values.force ?? false, signal, onProgress: (e) => r.event(e) });
  r.event({ type: 'done', out: res.out, tensors: res.tensors });
  r.info(`wrote ${res.out}: ${res.tensors} tensors`);
}

export async function fisherCommand(args: string[], r: Reporter, signal: AbortSignal): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'estimate') return estimate(rest, r, signal);
  if (sub === 'merge') return merge(rest, r, signal);
  // Issue 6's form, `crucible fisher MODEL --text FILE --out FISHER.safetensors`: an estimate
  // (a model folder named 'estimate' or 'merge' is written ./estimate).
  if (sub !== undefined && !sub.startsWith('-')) return estimate(args, r, signal);
  throw new UsageError(`unknown fisher command ${JSON.stringify(sub ?? '')}\n${FISHER_USAGE}`);
}
