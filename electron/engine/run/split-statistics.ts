/**
 * A large tensor whose kernel gathers whole-tensor statistics (TIES' magnitude histograms, the
 * `l1` rescale's block sums...) run as fixed ranges on several workers. Each statistics pass is one
 * unit per range; when the last range of a pass is in, the partials are combined here, on the main
 * thread and in range order, into the next state (RangeStatistics.combine: the same bits however
 * the tensor was split), and the next pass's units follow, or, once no pass is wanted, the output
 * units. A statistics unit writes nothing; it carries its range's work bytes so that the run's
 * total is known up front, and the output unit of the range credits them.
 */
import type { RangeStatistics } from '../methods/kernel.js';
import type { ComputeTask } from '../executor/task-types.js';
import type { UnitOfTensor } from './build-units.js';

export function splitStatisticsUnits(
  stats: RangeStatistics,
  /** The whole tensor's task (start 0, count numel). */
  whole: ComputeTask,
  ranges: readonly { start: number; count: number }[],
  /** The unit for one range's task (work and memory accounting). */
  unitFor: (task: ComputeTask) => UnitOfTensor,
): UnitOfTensor[] {
  const taskFor = (i: number, state: unknown, pass: boolean): ComputeTask => ({
    ...whole,
    start: ranges[i].start,
    count: ranges[i].count,
    split: { range: i, state, pass },
  });
  const stage = (state: unknown): UnitOfTensor[] => {
    if (!stats.wantsPass(state)) return ranges.map((_, i) => unitFor(taskFor(i, state, false)));
    const partials: unknown[] = new Array(ranges.length);
    let left = ranges.length;
    return ranges.map((_, i) => ({
      ...unitFor(taskFor(i, state, true)),
      followUp: (response) => {
        partials[i] = response.partial;
        left--;
        return left > 0 ? [] : stage(stats.combine(state, partials));
      },
    }));
  };
  return stage(stats.initial(whole));
}

/** Whether a unit is a statistics pass (it writes no output). */
export function isStatisticsPass(unit: UnitOfTensor): boolean {
  return unit.task.kind === 'compute' && unit.task.split?.pass === true;
}
