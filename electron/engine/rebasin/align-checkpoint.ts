/**
 * `alignCheckpoint`: Git Re-Basin weight matching of model B onto model A (the probe's MLP
 * classifiers and the language models it runs: Llama, Mistral, Qwen2, GPT-2), written as a new HF folder holding B's weights
 * permuted (each element moved as stored, so every dtype is kept bit for bit), B's config and
 * tokenizer files, and permutations.json (the permutations, for the editor's permutation port).
 * Both models are held in memory as float32 while matching; given a budget, that memory is
 * reserved from it before anything is read (alignmentMemory).
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CancelledError } from '../executor/cancel.js';
import { part, withMemory, type MemoryNeed, type MemoryReservation } from '../executor/memory-need.js';
import { DTYPE_SIZE, isFloatDtype } from '../io/dtype.js';
import { readTensorBytes } from '../io/read-tensor-bytes.js';
import { InputError, type CheckpointInfo, type TensorInfo } from '../io/types.js';
import { writeWeightFolder } from '../lora/write-tensor-files.js';
import { detectLanguageModel } from '../probe/arch/detect-language-model.js';
import { detectMlp, looksLikeMlp } from '../probe/mlp/mlp-spec.js';
import { openModel } from '../probe/probe-loss.js';
import { readTensorF32 } from '../probe/stream/read-tensor-f32.js';
import { copyTokenizerFiles, writeConfig } from '../run/output-config.js';
import { checkDestination, commitOutput, discardOutput, readPaths, stageOutput } from '../run/output-folder.js';
import { languageModelPermutationSpec } from './language-model-spec.js';
import { mlpPermutationSpec } from './mlp-spec.js';
import { permSizes, type AxisRef, type PermutationSpec, type Permutations } from './permutation-spec.js';
import { axisIndexMap, gatherTensor, type Elements } from './permute-tensor.js';
import { weightMatching, type AlignProgress, type WeightMatchingResult } from './weight-matching.js';
import { matmulGram } from './similarity.js';
import type { MatmulBackend } from '../probe/math/matmul.js';
import { bestMatmul } from '../probe/wasm/wasm-matmul.js';

export interface AlignOptions {
  seed?: number;
  maxSweeps?: number;
  /** Replace an existing output folder. */
  force?: boolean;
  /** Bytes per output shard (default 5 GB). */
  shardSize?: number;
  signal?: AbortSignal;
  onProgress?: (e: AlignProgress) => void;
  /** Reserve the alignment's memory from this budget while it runs (the app: the process-wide budget). */
  memory?: MemoryReservation;
  /**
   * Where the score matrices' products run. Default: the fastest there is (WebAssembly SIMD
   * workers, started for this alignment); null: the float64 TypeScript loop (the reference).
   */
  matmul?: MatmulBackend | null;
}

/** What permutations.json holds. */
export interface AlignmentSummary extends Omit<WeightMatchingResult, 'perms'> {
  /** Model A (the reference) and model B (the one permuted). */
  reference: string;
  model: string;
  seed: number;
  /** Per permutation key (residual, layer.N.mlp, layer.N.heads, layer.N.kv_heads): perm[i] = B's unit moved to position i. */
  permutations: Record<string, number[]>;
}

export interface AlignResult extends AlignmentSummary {
  out: string;
  /** Tensors of B that no permutation touches (copied as they are). */
  untouched: string[];
  warnings: string[];
}

/** Buffers that are not weights (causal masks, cached RoPE frequencies): copied, never permuted. */
const BUFFER = /(\.attn\.(masked_)?bias|rotary_emb\.inv_freq)$/;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that B has every tensor of A's spec with the same shape; throws InputError naming both files. */
function checkCompatible(spec: PermutationSpec, A: CheckpointInfo, B: CheckpointInfo): void {
  for (const [name, shape] of spec.shapes) {
    const tb = B.tensors.get(name);
    const ta = A.tensors.get(name)!;
    if (!tb) throw new InputError(`${B.path}: tensor ${JSON.stringify(name)} of ${ta.file} is missing, so B cannot be aligned to A`, B.path, name);
    if (!sameShape(tb.shape, shape)) {
      throw new InputError(
        `tensor ${JSON.stringify(name)} has shape [${shape.join(', ')}] in ${ta.file} and [${tb.shape.join(', ')}] in ${tb.file}: the models differ in architecture`,
        tb.file,
        name,
      );
    }
  }
}

function loadF32(ck: CheckpointInfo, names: Iterable<string>): Map<string, Float32Array> {
  return new Map([...names].map((n) => [n, readTensorF32(ck.tensors.get(n)!)]));
}

/** An index map over elements of 8 bytes, as a map over their two 4-byte halves. */
function halves(map: Int32Array | null): Int32Array | null {
  if (!map) return null;
  const out = new Int32Array(map.length * 2);
  map.forEach((v, i) => {
    out[2 * i] = 2 * v;
    out[2 * i + 1] = 2 * v + 1;
  });
  return out;
}

/** A tensor's stored elements, permuted as integers of their size (so every bit, NaN payloads included, moves unchanged). */
function permutedBytes(info: TensorInfo, refs: readonly AxisRef[], perms: Permutations): Uint8Array {
  const raw = new Uint8Array(info.byteLength);
  readTensorBytes(info, 0, info.numel, raw);
  if (refs.length === 0) return raw;
  const size = DTYPE_SIZE[info.dtype];
  const maps = info.shape.map((len, axis) => axisIndexMap(refs, axis, len, perms));
  let out: Elements;
  if (size === 8) {
    // The last axis's map moves pairs of 4-byte halves.
    const last = info.shape.length - 1;
    const shape = info.shape.map((d, i) => (i === last ? 2 * d : d));
    out = gatherTensor(new Uint32Array(raw.buffer), shape, maps.map((m, i) => (i === last ? halves(m) : m)));
  } else {
    const view: Elements = size === 1 ? raw : size === 2 ? new Uint16Array(raw.buffer) : new Uint32Array(raw.buffer);
    out = gatherTensor(view, info.shape, maps);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The permutation spec of A's architecture (an MLP classifier, or a language model the probe runs), checked against B. */
export function alignmentSpec(A: CheckpointInfo, B: CheckpointInfo): PermutationSpec {
  const shapes = new Map([...A.tensors].map(([n, t]) => [n, t.shape]));
  if (looksLikeMlp(A)) {
    if (!looksLikeMlp(B)) throw new InputError(`${A.path} is an MLP classifier and ${B.path} is not: they cannot be aligned`, B.path);
    const spec = mlpPermutationSpec(detectMlp(A).layers, shapes);
    detectMlp(B);
    checkCompatible(spec, A, B);
    return spec;
  }
  const specA = detectLanguageModel(A);
  const specB = detectLanguageModel(B);
  if (specA.family !== specB.family) throw new InputError(`${A.path} is a ${specA.family} model and ${B.path} a ${specB.family} model: they cannot be aligned`, B.path);
  const spec = languageModelPermutationSpec(specA, shapes);
  checkCompatible(spec, A, B);
  return spec;
}

/**
 * What an alignment holds: the spec's tensors of both models as float32; while matching, one
 * permutation's score and assignment matrices (float64) and two unit matrices of the largest
 * tensor; while writing, one tensor as stored and permuted.
 */
export function alignmentMemory(spec: PermutationSpec, B: CheckpointInfo, task: string): MemoryNeed {
  let weights = 0;
  let largest = 0;
  for (const shape of spec.shapes.values()) {
    const numel = shape.reduce((p, d) => p * d, 1);
    weights += 2 * 4 * numel;
    largest = Math.max(largest, numel);
  }
  const units = Math.max(0, ...permSizes(spec).values());
  const largestStored = Math.max(0, ...[...B.tensors.values()].map((t) => t.byteLength));
  const working = Math.max(2 * 8 * units * units + 2 * 4 * largest, 2 * largestStored);
  return { task, bytes: weights + working, detail: [part('both models as float32', weights), part('working buffers', working)].join(' + ') };
}

export async function alignCheckpoint(a: string | CheckpointInfo, b: string | CheckpointInfo, out: string, opts: AlignOptions = {}): Promise<AlignResult> {
  const A = await openModel(a);
  const B = await openModel(b);
  const dest = resolve(out);
  await checkDestination(dest, await readPaths([A, B]), opts.force ?? false);
  const spec = alignmentSpec(A, B);
  if (opts.memory) return withMemory(opts.memory.budget, alignmentMemory(spec, B, opts.memory.task), opts.signal, () => alignAndWrite(A, B, dest, spec, opts));
  return alignAndWrite(A, B, dest, spec, opts);
}

async function alignAndWrite(A: CheckpointInfo, B: CheckpointInfo, dest: string, spec: PermutationSpec, opts: AlignOptions): Promise<AlignResult> {
  const own = opts.matmul === undefined ? (await bestMatmul()).matmul : undefined;
  const mm = opts.matmul ?? own;
  let result: WeightMatchingResult;
  try {
    result = await weightMatching(spec, loadF32(A, spec.shapes.keys()), loadF32(B, spec.shapes.keys()), { ...opts, gram: mm ? matmulGram(mm) : undefined });
  } finally {
    await own?.close?.();
  }

  const refsOf = new Map<string, AxisRef[]>();
  for (const r of spec.refs) refsOf.set(r.tensor, [...(refsOf.get(r.tensor) ?? []), r]);
  const infos = [...B.tensors.values()];
  const untouched = infos.filter((t) => !refsOf.has(t.name)).map((t) => t.name);
  const warnings = untouched
    .filter((n) => !BUFFER.test(n) && isFloatDtype(B.tensors.get(n)!.dtype))
    .map((n) => `tensor ${n} is not part of the permutation spec: copied unchanged`);

  const staged = await stageOutput(dest);
  try {
    const permutations = Object.fromEntries([...result.perms].map(([k, p]) => [k, Array.from(p)]));
    const metadata = { crucible_aligned_to: A.path, crucible_aligned_model: B.path, crucible_align_seed: String(opts.seed ?? 0) };
    await writeWeightFolder(
      staged.temp,
      infos.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape })),
      opts.shardSize ?? 5e9,
      metadata,
      (_spec, i) => {
        if (opts.signal?.aborted) throw new CancelledError();
        return permutedBytes(infos[i], refsOf.get(infos[i].name) ?? [], result.perms);
      },
    );
    await writeConfig(staged.temp, B.config);
    await copyTokenizerFiles(B.folder, staged.temp);
    const summary: AlignmentSummary = {
      reference: A.path,
      model: B.path,
      seed: opts.seed ?? 0,
      sweeps: result.sweeps,
      converged: result.converged,
      initialObjective: result.initialObjective,
      objective: result.objective,
      permutations,
    };
    await writeFile(join(staged.temp, 'permutations.json'), JSON.stringify(summary) + '\n');
    await commitOutput(staged, opts.force ?? false);
    return { out: dest, ...summary, untouched, warnings };
  } catch (err) {
    await discardOutput(staged);
    throw err;
  }
}
