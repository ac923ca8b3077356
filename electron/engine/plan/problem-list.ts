/**
 * Collects problems, folding repeats: the same problem on hundreds of tensors (a weight missing
 * everywhere) is reported once, naming the first tensor and how many more have it.
 */
import { ValidationError, type PlanProblem } from './validation-error.js';

interface Entry {
  problem: PlanProblem;
  more: number;
}

export class ProblemList {
  private readonly entries = new Map<string, Entry>();

  /** `sameAs`: problems with equal keys are one problem (default: the message itself). */
  add(problem: PlanProblem, sameAs: string = problem.message): void {
    const e = this.entries.get(sameAs);
    if (e) e.more++;
    else this.entries.set(sameAs, { problem, more: 0 });
  }

  get size(): number {
    return this.entries.size;
  }

  list(): PlanProblem[] {
    return [...this.entries.values()].map(({ problem, more }) =>
      more === 0 ? problem : { ...problem, message: `${problem.message} (and ${more} more tensor${more === 1 ? '' : 's'})` },
    );
  }

  throwIfAny(): void {
    if (this.entries.size > 0) throw new ValidationError(this.list());
  }
}
