/**
 * Worker-thread entry (run by the piscina pool): computes one output tensor, or one range of it,
 * reading inputs and writing the output in place with positioned I/O. Never throws across the
 * thread boundary: failures come back as data (WorkerFailure) so the main thread can rebuild
 * errors that name the file and tensor.
 */
import type { Backend, NonFiniteTally } from '../backend/types.js';
import { getKernel } from '../methods/index.js';
import { DTYPE_SIZE, isFloatDtype } from '../io/dtype.js';
import { computeMemoryBytes } from './compute-memory.js';
import type { KernelEnv, KernelTask } from '../methods/kernel.js';
import { CancelledError } from './cancel.js';
import { FdCache } from './fd-cache.js';
import { FileTensorSink, FileTensorStream, MAX_READ_BYTES, readFully, readingInput, writeFully } from './file-streams.js';
import { workerBackend } from './worker-backend.js';
import { keepRulesFor } from '../diagnostics/keep-rules.js';
import { KeptCounter } from '../diagnostics/kept-counter.js';
import type { TopKCut } from '../methods/lib/radix-select.js';
import { sceRangeCut, type SceState } from '../methods/task-vector/sce-stats.js';
import { rangeDecisions, type TaskVectorState } from '../methods/task-vector/pipeline.js';
import { measureRange, type KeepMeasure, type StatSums } from '../diagnostics/merge-stats.js';
import type { ComputeTask, CopyTask, InputLocation, WorkerFailure, WorkerRequest, WorkerResponse } from './task-types.js';

export type WorkerResult = { ok: true; value: WorkerResponse } | { ok: false; failure: WorkerFailure };

const fds = new FdCache();

/** wholeState: the final statistics state of a tensor run whole, when its kernel returned it. */
function measure(task: ComputeTask, req: WorkerRequest, backend: Backend, wholeState: unknown): StatSums {
  const stream = (loc: InputLocation) => new FileTensorStream(loc, fds, backend, task.start, task.count);
  const written: InputLocation = { file: task.out.file, offset: task.out.offset, dtype: task.out.dtype, numel: task.numel, tensor: task.name };
  // What trimming or dropping kept: recomputed from the method's parameters and random keys (the
  // kernel is not asked), except DELLA's decisions where its run kept them (below).
  let rules = task.base ? keepRulesFor({ method: task.method, modelParams: task.modelParams, global: task.global, numel: task.numel }) : null;
  // sce's mask is a whole-tensor cut: a range of the tensor alone cannot find it again, so a range
  // counts with the cut its split run found (the statistics state), or not at all.
  let sceCut: TopKCut | 'none' | undefined;
  if (rules?.some((r) => r.kind === 'sce') && task.count !== task.numel) {
    sceCut = task.split ? sceRangeCut(task.split.state as SceState, task.split.range) : undefined;
    if (sceCut === undefined) rules = null;
  }
  // DELLA's decisions, where its run kept them (whole or split), count without ranking every row again.
  const della = rules?.some((r) => r.kind === 'della') === true;
  const dellaBits = !della ? undefined : task.split ? rangeDecisions(task.split.state as TaskVectorState, task.split.range) : wholeState ? rangeDecisions(wholeState as TaskVectorState, 0) : undefined;
  let keep: KeepMeasure | undefined;
  let chunk = req.chunk;
  if (rules) {
    const counter = new KeptCounter(backend, rules, { name: task.name, shape: task.shape, count: task.count, offset: task.start, seed: task.seed, chunk, sceCut, dellaBits });
    keep = { rules, counter, offset: task.start };
    chunk = counter.unit;
  }
  return measureRange(backend, chunk, task.models.map(stream), task.base ? stream(task.base) : undefined, stream(written), task.count, keep);
}

interface ComputeResult {
  warnings: string[];
  /** What the sink wrote (nothing for a statistics pass). */
  nonFinite: NonFiniteTally;
  /** A statistics pass's partial (task.split.pass). */
  partial?: unknown;
  /** The final statistics state of a tensor run whole, when its kernel returned one (for measure). */
  wholeState?: unknown;
}

function runCompute(task: ComputeTask, req: WorkerRequest, backend: Backend, credit: (elements: number) => void): ComputeResult {
  const warnings: string[] = [];
  const flags = new Int32Array(req.flagsBuffer);
  const env: KernelEnv = {
    backend,
    chunk: req.chunk,
    checkpoint: () => {
      if (Atomics.load(flags, 0) !== 0) throw new CancelledError();
    },
    warn: (m) => warnings.push(m),
  };
  const stream = (loc: ComputeTask['models'][number]) => new FileTensorStream(loc, fds, backend, task.start, task.count);
  const inputs = task.models.length + (task.base ? 1 : 0) + (task.fisher?.length ?? 0);
  // Reserve scratch memory once, before any view is handed out (the WebAssembly backend's views
  // detach when its memory grows): inputs + accumulators, two raw I/O buffers, histograms.
  backend.reserve?.(computeMemoryBytes(inputs, req.chunk));
  const sink = new FileTensorSink(task.out.file, task.out.offset, task.out.dtype, fds, backend, task.start, credit);
  const kernel = getKernel(task.method);
  const kernelTask: KernelTask = {
    name: task.name,
    shape: task.shape,
    numel: task.count,
    base: task.base ? stream(task.base) : undefined,
    models: task.models.map(stream),
    ...(task.fisher ? { fisher: task.fisher.map(stream) } : {}),
    modelParams: task.modelParams,
    global: task.global,
    seed: task.seed,
    offset: task.start,
    ...(task.holdLimit === undefined ? {} : { holdLimit: task.holdLimit }),
  };
  const split = task.split;
  const nonFinite = sink.nonFinite;
  if (!split) {
    const wholeState = kernel.run(kernelTask, sink, env);
    return { warnings, nonFinite, wholeState };
  }
  if (!kernel.statistics) throw new Error(`${task.method} gathers no statistics by range, yet tensor ${task.name} was split for them`);
  if (split.pass) return { warnings, nonFinite, partial: kernel.statistics.observe(kernelTask, split.state, split.range, env) };
  kernel.statistics.apply(kernelTask, split.state, split.range, sink, env);
  return { warnings, nonFinite };
}

/**
 * Copies a tensor's bytes unchanged (integer and bool tensors, and float tensors that need no
 * arithmetic). A float tensor's values are counted for NaN and ±Inf on the way: an input that holds
 * them makes an output that does too, and the buffer is in cache anyway. Returns the counts.
 */
function runCopy(task: CopyTask, req: WorkerRequest, backend: Backend, creditBytes: (bytes: number) => void): NonFiniteTally {
  const flags = new Int32Array(req.flagsBuffer);
  const { file: inFile, tensor: inTensor } = task.from;
  const inFd = readingInput(inFile, inTensor, () => fds.read(inFile));
  const outFd = fds.write(task.out.file);
  const buf = backend.bytes(0, MAX_READ_BYTES);
  const nonFinite: NonFiniteTally = { nan: 0, inf: 0 };
  const dtype = task.out.dtype;
  for (let done = 0; done < task.byteLength; done += MAX_READ_BYTES) {
    if (Atomics.load(flags, 0) !== 0) throw new CancelledError();
    const n = Math.min(MAX_READ_BYTES, task.byteLength - done);
    readingInput(inFile, inTensor, () => readFully(inFd, buf, n, task.from.offset + done, inFile));
    writeFully(outFd, buf, n, task.out.offset + done);
    // MAX_READ_BYTES is a multiple of every item size, so each read holds whole elements.
    if (isFloatDtype(dtype)) backend.countNonFinite(dtype, buf, Math.floor(n / DTYPE_SIZE[dtype]), nonFinite);
    creditBytes(n);
  }
  return nonFinite;
}

/** The counts for a response: absent when there are none. */
function nonFiniteOf(t: NonFiniteTally): { nonFinite?: NonFiniteTally } {
  return t.nan > 0 || t.inf > 0 ? { nonFinite: { nan: t.nan, inf: t.inf } } : {};
}

function failureOf(err: unknown, task: WorkerRequest['task']): WorkerFailure {
  const e = err as Error & { file?: string; tensor?: string; code?: string; path?: string };
  if (e?.name === 'CancelledError') return { kind: 'cancelled', message: 'cancelled' };
  if (e?.name === 'KernelError') return { kind: 'kernel', message: e.message, tensor: e.tensor ?? task.name };
  if (e?.name === 'InputError') return { kind: 'input', message: e.message, file: e.file, tensor: e.tensor ?? task.name };
  if (typeof e?.code === 'string' && e.code.startsWith('E')) {
    // A system error from writing (ENOSPC, EIO, EFBIG, EACCES...): name the output file. (Reads of
    // inputs come here as InputErrors naming the input: file-streams.ts readingInput.)
    const file = e.path ?? task.out.file;
    return { kind: 'input', message: `${e.message} (tensor ${task.name})`, file, tensor: task.name };
  }
  return { kind: 'internal', message: `${e?.message ?? String(err)} (tensor ${task.name})`, tensor: task.name };
}

export default async function runTask(req: WorkerRequest): Promise<WorkerResult> {
  const task = req.task;
  const progress = new BigInt64Array(req.progressBuffer);
  try {
    const backend = workerBackend(req.backend);
    if (task.kind === 'copy') {
      const perByte = task.byteLength > 0 ? req.workBytes / task.byteLength : 0;
      const nonFinite = runCopy(task, req, backend, (n) => Atomics.add(progress, 0, BigInt(Math.round(n * perByte))));
      if (req.delayMs > 0) await new Promise((r) => setTimeout(r, req.delayMs));
      return { ok: true, value: { name: task.name, warnings: [], ...nonFiniteOf(nonFinite) } };
    }
    let credited = 0;
    const perElement = task.count > 0 ? req.workBytes / task.count : 0;
    const { warnings, partial, nonFinite, wholeState } = runCompute(task, req, backend, (elements) => {
      const target = Math.round((credited + elements) * perElement) - Math.round(credited * perElement);
      credited += elements;
      Atomics.add(progress, 0, BigInt(target));
    });
    const stats = req.diagnostics && !task.split?.pass ? measure(task, req, backend, wholeState) : undefined;
    if (req.delayMs > 0) await new Promise((r) => setTimeout(r, req.delayMs));
    return { ok: true, value: { name: task.name, warnings, stats, partial, ...nonFiniteOf(nonFinite) } };
  } catch (err) {
    return { ok: false, failure: failureOf(err, task) };
  }
}
