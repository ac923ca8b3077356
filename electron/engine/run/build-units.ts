/**
 * Turns the output tensors into worker tasks: one per tensor, or fixed-size ranges of a large
 * tensor when its method is elementwise (the split never depends on the thread count, so the
 * bits never do either).
 */
import { DTYPE_SIZE, isFloatDtype } from '../io/dtype.js';
import type { CheckpointInfo } from '../io/types.js';
import { getKernel } from '../methods/index.js';
import type { TaskUnit } from '../executor/run-tasks.js';
import type { ComputeTask, InputLocation } from '../executor/task-types.js';
import { BLOCK } from '../backend/types.js';
import { splitStatisticsUnits } from './split-statistics.js';
import { computeMemoryBytes } from '../executor/compute-memory.js';
import { MAX_READ_BYTES } from '../executor/file-streams.js';
import type { SourceRef } from '../plan/types.js';
import { sourceInfo, type OutputTensor } from './output-layout.js';

/** Elements per range when a tensor is split across workers (a multiple of BLOCK). */
export const SPLIT_ELEMENTS = 1 << 24;

export interface PlacedTensor extends OutputTensor {
  file: string;
  /** Absolute byte offset of the tensor's data in its output file. */
  offset: number;
}

export interface UnitOfTensor extends TaskUnit {
  /** Index into the placed tensors. */
  tensorIndex: number;
}

function location(checkpoints: Map<string, CheckpointInfo>, ref: SourceRef, numel: number): InputLocation {
  const info = sourceInfo(checkpoints, ref);
  return { file: info.file, offset: info.offset, dtype: info.dtype, numel, tensor: `${ref.tensor} (${ref.model})` };
}

/** [start, start + count) ranges of `step` elements covering numel (one empty range for an empty tensor). */
function rangesOf(numel: number, step: number): { start: number; count: number }[] {
  const ranges: { start: number; count: number }[] = [];
  for (let start = 0; start < numel; start += step) ranges.push({ start, count: Math.min(step, numel - start) });
  return ranges.length > 0 ? ranges : [{ start: 0, count: 0 }];
}

/**
 * Range length for a tensor split by statistics: the largest multiple of both BLOCK (block sums
 * stay the same bits) and the kernel's own multiple (DELLA: whole rows) up to splitElements, at
 * least one such multiple; the whole tensor when that is not shorter than it.
 */
export function statisticsStep(multiple: number, splitElements: number, numel: number): number {
  const unit = lcm(BLOCK, Math.max(1, Math.floor(multiple)));
  if (unit >= numel) return Math.max(1, numel);
  return Math.max(1, Math.floor(splitElements / unit)) * unit;
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

/**
 * splitElements: range length for tensors split across workers (a multiple of BLOCK; the default
 * SPLIT_ELEMENTS; smaller in tests). Elementwise kernels' ranges are independent; kernels with
 * range statistics (kernel.statistics) run their passes range by range (split-statistics.ts).
 */
export function buildUnits(
  tensors: PlacedTensor[],
  checkpoints: Map<string, CheckpointInfo>,
  seed: number,
  chunk: number,
  splitElements = SPLIT_ELEMENTS,
  /** KernelTask.holdLimit for every compute task (absent: no limit). */
  holdLimit?: number,
): UnitOfTensor[] {
  if (!(Number.isInteger(splitElements) && splitElements > 0 && splitElements % BLOCK === 0)) {
    throw new RangeError(`split ranges of ${splitElements} elements: must be a positive multiple of ${BLOCK}`);
  }
  const units: UnitOfTensor[] = [];
  tensors.forEach((t, tensorIndex) => {
    const p = t.plan;
    // An empty tensor (a 0 in its shape) merges to an empty tensor: a copy of no bytes, so that no
    // kernel is asked for a threshold or a mask of nothing.
    const copySource = p.copyFrom ?? (!isFloatDtype(t.dtype) || t.numel === 0 ? (p.base ?? p.models[0]) : undefined);
    if (copySource) {
      const from = location(checkpoints, copySource, t.numel);
      units.push({
        tensorIndex,
        task: { kind: 'copy', name: t.name, from, byteLength: t.byteLength, out: { file: t.file, offset: t.offset, dtype: t.dtype } },
        workBytes: 2 * t.byteLength,
        memoryBytes: MAX_READ_BYTES,
      });
      return;
    }
    if (!isFloatDtype(t.dtype)) throw new Error(`tensor ${t.name}: output dtype ${t.dtype} is not a float`);
    const base = p.base ? location(checkpoints, p.base, t.numel) : undefined;
    const models = p.models.map((m) => location(checkpoints, m, t.numel));
    const fisher = p.fisher?.map((f) => location(checkpoints, f, t.numel));
    const inputs = [...(base ? [base] : []), ...models, ...(fisher ?? [])];
    const inputBytesPerElement = inputs.reduce((s, l) => s + DTYPE_SIZE[l.dtype], 0);
    const outBytesPerElement = DTYPE_SIZE[t.dtype];
    const kernel = getKernel(p.method);
    const large = t.numel > splitElements;
    const elementwise = large && kernel.splittable(p.global, p.modelParams);
    const byStatistics = large && !elementwise && kernel.statistics?.splits(p.global, p.modelParams) === true;
    const whole: ComputeTask = {
      kind: 'compute',
      name: t.name,
      method: p.method,
      shape: t.shape,
      numel: t.numel,
      start: 0,
      count: t.numel,
      base,
      models,
      ...(fisher ? { fisher } : {}),
      modelParams: p.modelParams,
      global: p.global,
      seed,
      out: { file: t.file, offset: t.offset, dtype: t.dtype },
      ...(holdLimit === undefined ? {} : { holdLimit }),
    };
    // What the statistics state holds between passes (DELLA's kept decisions) counts in every unit of the tensor.
    const held = kernel.statistics?.heldBytes?.(t.shape, t.numel, p.global, p.modelParams, holdLimit) ?? 0;
    const unitFor = (task: ComputeTask): UnitOfTensor => ({
      tensorIndex,
      task,
      workBytes: task.count * (inputBytesPerElement + outBytesPerElement),
      memoryBytes: computeMemoryBytes(inputs.length, chunk) + held,
    });
    const ranges = rangesOf(t.numel, elementwise ? splitElements : byStatistics ? statisticsStep(kernel.statistics!.rangeMultiple?.(t.shape, t.numel, p.global, p.modelParams) ?? 1, splitElements, t.numel) : Math.max(1, t.numel));
    if (byStatistics) units.push(...splitStatisticsUnits(kernel.statistics!, whole, ranges, unitFor));
    else for (const r of ranges) units.push(unitFor({ ...whole, start: r.start, count: r.count }));
  });
  return units;
}

/** Largest tensors first (they bound the run's length), then the plan's order. */
export function scheduleOrder(units: UnitOfTensor[]): UnitOfTensor[] {
  const total = units.reduce((s, u) => s + u.workBytes, 0);
  const big = total / Math.max(1, units.length) * 4;
  const heavy = units.filter((u) => u.workBytes > big).sort((a, b) => b.workBytes - a.workBytes);
  const rest = units.filter((u) => u.workBytes <= big);
  return [...heavy, ...rest];
}
