/**
 * `estimateFisher`: a model's diagonal Fisher written to a Fisher file. Language models the probe
 * runs take probe texts (estimate-lm-fisher.ts); the probe's MLP classifiers take CSV data sets
 * (features then the class label per line; mlp-fisher.ts). Given a budget, the estimate's memory
 * (fisher-memory.ts) is reserved from it before any weight is read.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, type CheckpointInfo } from '../io/types.js';
import { withMemory, type MemoryReservation } from '../executor/memory-need.js';
import { fisherMemory } from './fisher-memory.js';
import { parseCsvDataset } from '../probe/mlp/csv-dataset.js';
import type { MlpParams } from '../probe/mlp/mlp-params.js';
import { detectMlp, looksLikeMlp } from '../probe/mlp/mlp-spec.js';
import { openModel } from '../probe/probe-loss.js';
import { readTensorF32 } from '../probe/stream/read-tensor-f32.js';
import type { ProbeText } from '../probe/text/probe-text.js';
import { writeFisherFile, type FisherTensor } from './fisher-file.js';
import { estimateLmFisher, LM_FISHER_ESTIMATOR, type LmFisherOptions } from './estimate-lm-fisher.js';
import { MLP_FISHER_ESTIMATOR, mlpFisher } from './mlp-fisher.js';

export interface EstimateFisherOptions extends LmFisherOptions {
  /** MLP classifiers: the paper's Fisher over the model's predictions ('model', default) or the empirical one ('data'). */
  labels?: 'model' | 'data';
  /** Replace an existing output file. */
  force?: boolean;
  /** Reserve the estimate's memory from this budget while it runs (the app: the process-wide budget). */
  memory?: MemoryReservation;
}

export interface EstimateFisherResult {
  out: string;
  estimator: string;
  kind: 'language-model' | 'mlp';
  /** Windows or samples averaged over. */
  count: number;
  /** Language models: mean nats per scored token over the windows. */
  loss?: number;
}

function mlpFromCheckpoint(ck: CheckpointInfo) {
  const spec = detectMlp(ck);
  const params: MlpParams = {
    weights: spec.layers.map((l) => readTensorF32(ck.tensors.get(l.weight)!)),
    biases: spec.layers.map((l) => (l.bias ? readTensorF32(ck.tensors.get(l.bias)!) : new Float32Array(l.outDim))),
    sizes: [spec.inputs, ...spec.layers.map((l) => l.outDim)],
  };
  return { spec, params };
}

export async function estimateFisher(model: string | CheckpointInfo, texts: readonly ProbeText[], out: string, opts: EstimateFisherOptions = {}): Promise<EstimateFisherResult> {
  const ck = await openModel(model);
  const dest = resolve(out);
  if (existsSync(dest) && !opts.force) throw new InputError(`the output ${dest} already exists; use --force to replace it`, dest);
  if (texts.length === 0) throw new InputError('the Fisher needs at least one probe text or data file');
  if (opts.memory) return withMemory(opts.memory.budget, fisherMemory(ck, opts, opts.memory.task), opts.signal, () => estimateAndWrite(ck, dest, texts, opts));
  return estimateAndWrite(ck, dest, texts, opts);
}

async function estimateAndWrite(ck: CheckpointInfo, dest: string, texts: readonly ProbeText[], opts: EstimateFisherOptions): Promise<EstimateFisherResult> {
  let tensors: FisherTensor[];
  let result: Omit<EstimateFisherResult, 'out'>;
  if (looksLikeMlp(ck)) {
    const { spec, params } = mlpFromCheckpoint(ck);
    const datasets = texts.map((t) => parseCsvDataset(t.text, t.name));
    const labels = opts.labels ?? 'model';
    const fisher = new Map<string, Float32Array>();
    let count = 0;
    for (const d of datasets) {
      if (d.dims !== spec.inputs) throw new InputError(`${texts[0].name}: ${d.dims} features per sample, the model takes ${spec.inputs}`);
      const f = mlpFisher(params, d, { ...opts, labels, names: spec.layers });
      // Pool the data sets: a sample-weighted mean.
      for (const [name, v] of f) {
        const acc = fisher.get(name) ?? new Float32Array(v.length);
        for (let k = 0; k < v.length; k++) acc[k] += v[k] * d.n;
        fisher.set(name, acc);
      }
      count += d.n;
    }
    tensors = [...fisher].map(([name, acc]) => ({ name, shape: ck.tensors.get(name)!.shape, values: acc.map((v) => v / count) }));
    result = { estimator: MLP_FISHER_ESTIMATOR[labels], kind: 'mlp', count };
  } else {
    const r = await estimateLmFisher(ck, texts, opts);
    tensors = r.tensors;
    result = { estimator: LM_FISHER_ESTIMATOR, kind: 'language-model', count: r.windows, loss: r.loss };
  }
  // Written beside the destination, then renamed: a failed run leaves no partial file under its name.
  const temp = `${dest}.${process.pid}.tmp`;
  try {
    await writeFisherFile(temp, tensors, { estimator: result.estimator, model: ck.path, count: result.count, sources: texts.map((t) => t.name) });
    await rename(temp, dest);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return { out: dest, ...result };
}
