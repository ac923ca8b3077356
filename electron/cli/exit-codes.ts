/** The CLI's exit statuses (a public contract). */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
/** crucible verify: the re-run differs from the output. */
export const EXIT_MISMATCH = 3;
export const EXIT_CANCELLED = 130;

/** Errors that are the user's input's fault: bad files, bad recipes, bad parameters, a task larger than the memory budget given. */
export function isBadInput(err: unknown): boolean {
  const name = (err as Error | undefined)?.name;
  return name === 'InputError' || name === 'ValidationError' || name === 'RecipeError' || name === 'KernelError' || name === 'UsageError' || name === 'MemoryBudgetError';
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
