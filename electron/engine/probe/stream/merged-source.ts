/**
 * K merged variants of a model, formed stage by stage with the real merge kernels: the stage's
 * input tensors are read once and held as stored (raw bytes); each variant's tensors are computed
 * from in-memory streams of them by getKernel(method).run and rounded to the output dtype, with
 * the merge's own tensor names and seed, so a variant is bit for bit the model a merge would write.
 * The K variants of a stage are formed one after the other into the same buffers (a variant's
 * weights are not used once its stage step is done), so forming them leaves no garbage behind.
 */
import type { Backend } from '../../backend/types.js';
import type { CheckpointInfo } from '../../io/types.js';
import { InputError } from '../../io/types.js';
import { getKernel } from '../../methods/index.js';
import type { KernelEnv } from '../../methods/kernel.js';
import type { SourceRef, TensorPlan } from '../../plan/types.js';
import { throwIfAborted } from './evaluate-variants.js';
import { newIoStats, type IoStats } from './io-stats.js';
import type { StageSpec, StageWeights, TensorRequest } from './program.js';
import { decodeHeld, HeldTensorStream, readHeldTensor, type HeldTensor } from './held-tensor.js';
import { gatherRows } from './read-tensor-f32.js';
import { defaultMergeBackend } from './merge-backend.js';
import { RoundingSink } from './rounding-sink.js';
import type { VariantSource } from './variant-source.js';

/** Elements per kernel chunk (a multiple of the 4096-element block). */
const CHUNK = 1 << 16;

export interface MergedSourceOptions {
  variants: number;
  /** The plan of output tensor `name` in variant j (same sources for every j; parameters may differ). */
  plan(variant: number, name: string): TensorPlan;
  /** Input checkpoints by model key (the plans' SourceRef.model). */
  checkpoints: ReadonlyMap<string, CheckpointInfo>;
  seed: number;
  signal?: AbortSignal;
  /** Backend of the merge kernels (default: WebAssembly when built, else TypeScript; same bits). */
  backend?: Backend;
  /** Kernel warnings (deduplicated by the caller if needed). */
  onWarning?: (message: string) => void;
}

function refKey(r: SourceRef): string {
  return `${r.model}\u0000${r.tensor}`;
}

function sourcesOf(p: TensorPlan): SourceRef[] {
  if (p.copyFrom) return [p.copyFrom];
  return [...(p.base ? [p.base] : []), ...p.models];
}

export class MergedSource implements VariantSource {
  readonly variants: number;
  readonly io: IoStats = newIoStats();
  private stages: readonly StageSpec[] = [];
  private stage = -1;
  /** Inputs as stored (raw bytes), from the stage that first needs them to the last. */
  private readonly held = new Map<string, HeldTensor>();
  private inputFirstUse = new Map<string, number>();
  private inputLastUse = new Map<string, number>();
  private stageRefs: Map<string, SourceRef>[] = [];
  /** The current stage's formed tensors, by request name, reused from one variant to the next. */
  private formedBuffers = new Map<string, Float32Array>();
  private readonly backend: Backend;

  constructor(private readonly o: MergedSourceOptions) {
    this.variants = o.variants;
    this.backend = o.backend ?? defaultMergeBackend();
  }

  prepare(stages: readonly StageSpec[]): void {
    this.stages = stages;
    this.stageRefs = stages.map((s) => {
      const refs = new Map<string, SourceRef>();
      for (const req of s.tensors) for (let j = 0; j < this.variants; j++) for (const r of sourcesOf(this.o.plan(j, req.name))) refs.set(refKey(r), r);
      return refs;
    });
    this.inputFirstUse = new Map();
    this.inputLastUse = new Map();
    this.stageRefs.forEach((refs, i) =>
      refs.forEach((_, k) => {
        if (!this.inputFirstUse.has(k)) this.inputFirstUse.set(k, i);
        this.inputLastUse.set(k, i);
      }),
    );
  }

  stageBytes(stage: number): number {
    let bytes = 0;
    // Inputs held as stored while the stage runs (kept ones included).
    this.stageRefs.forEach((refs) =>
      refs.forEach((ref, key) => {
        const first = this.inputFirstUse.get(key) ?? 0;
        const last = this.inputLastUse.get(key) ?? first;
        const info = this.o.checkpoints.get(ref.model)?.tensors.get(ref.tensor);
        if (info && first <= stage && stage <= last && this.stageRefs[first] === refs) bytes += Math.ceil(info.byteLength / 8) * 8;
      }),
    );
    // One variant's formed weights (float32, whole before rows are gathered), and the kernel's chunk buffers.
    let chunks = 0;
    for (const req of this.stages[stage].tensors) {
      const p = this.o.plan(0, req.name);
      const refs = sourcesOf(p);
      const info = this.o.checkpoints.get(refs[0].model)?.tensors.get(refs[0].tensor);
      if (!info) continue;
      const cols = info.shape.length >= 2 ? info.numel / info.shape[0] : info.numel;
      bytes += info.numel * 4 + (req.rows ? req.rows.length * cols * 4 : 0);
      chunks = Math.max(chunks, (refs.length + 2) * CHUNK * 4);
    }
    return bytes + chunks;
  }

  load(stage: number): void {
    this.stage = stage;
    this.formedBuffers = new Map();
    for (const [key, ref] of this.stageRefs[stage]) {
      if (this.held.has(key)) continue;
      const ck = this.o.checkpoints.get(ref.model);
      if (!ck) throw new Error(`model '${ref.model}' of the merge plan was not opened`);
      const info = ck.tensors.get(ref.tensor);
      if (!info) throw new InputError(`${ck.path}: no tensor ${JSON.stringify(ref.tensor)}`, ck.path, ref.tensor);
      this.held.set(key, readHeldTensor(info, this.io));
    }
  }

  weights(j: number): StageWeights {
    const requests = new Map<string, TensorRequest>(this.stages[this.stage].tensors.map((t) => [t.name, t]));
    const formed = new Map<string, Float32Array>();
    return {
      get: (name) => {
        let w = formed.get(name);
        if (w) return w;
        const req = requests.get(name);
        if (!req) throw new Error(`tensor ${name} was not requested by stage ${this.stages[this.stage].label}`);
        w = this.form(j, req);
        formed.set(name, w);
        return w;
      },
    };
  }

  release(stage: number): void {
    this.formedBuffers = new Map();
    for (const key of this.stageRefs[stage].keys()) if ((this.inputLastUse.get(key) ?? -1) <= stage) this.held.delete(key);
  }

  /** The reused buffer of request `name` (`length` floats). */
  private buffer(name: string, length: number): Float32Array {
    let b = this.formedBuffers.get(name);
    if (!b || b.length !== length) {
      b = new Float32Array(length);
      this.formedBuffers.set(name, b);
    }
    return b;
  }

  private input(ref: SourceRef): HeldTensor {
    const data = this.held.get(refKey(ref));
    if (!data) throw new Error(`input ${ref.tensor} of ${ref.model} is not loaded`);
    return data;
  }

  private form(j: number, req: TensorRequest): Float32Array {
    const p = this.o.plan(j, req.name);
    const firstRef = p.copyFrom ?? p.base ?? p.models[0];
    const info = this.o.checkpoints.get(firstRef.model)!.tensors.get(firstRef.tensor)!;
    const cols = info.shape.length >= 2 ? info.numel / info.shape[0] : info.numel;
    const rowCount = p.rows ?? (info.shape.length >= 2 ? info.shape[0] : 1);
    const numel = info.shape.length >= 2 ? rowCount * cols : info.numel;
    const stream = (ref: SourceRef) => new HeldTensorStream(this.input(ref), numel);
    if (p.copyFrom) {
      const data = decodeHeld(this.input(p.copyFrom), numel, this.buffer(`${req.name}\u0000whole`, numel));
      return req.rows ? gatherRows(data, cols, req.rows) : data;
    }
    const shape = info.shape.length >= 2 ? [rowCount, ...info.shape.slice(1)] : [...info.shape];
    const sink = new RoundingSink(numel, p.outDtype, cols, req.rows, this.buffer(req.name, req.rows ? req.rows.length * cols : numel));
    const env: KernelEnv = {
      backend: this.backend,
      chunk: CHUNK,
      checkpoint: () => throwIfAborted(this.o.signal),
      warn: (m) => this.o.onWarning?.(`${p.name}: ${m}`),
    };
    getKernel(p.method).run(
      {
        name: p.name,
        shape,
        numel,
        base: p.base ? stream(p.base) : undefined,
        models: p.models.map(stream),
        modelParams: p.modelParams,
        global: p.global,
        seed: this.o.seed,
        offset: 0,
      },
      sink,
      env,
    );
    return sink.data;
  }
}
