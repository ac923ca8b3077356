/**
 * A top-k cut split over consecutive ranges of a tensor. The cut keeps every entry above its
 * threshold plus the first `ties` entries equal to it in flat order (radix-select.ts); a range
 * applied on its own keeps the first `budget` of its own equal entries, where the budget is what is
 * left of `ties` after the equal entries of every range before it, capped by its own count.
 */
export function rangeTieBudgets(ties: number, equalPerRange: readonly number[]): number[] {
  let before = 0;
  return equalPerRange.map((count) => {
    const budget = Math.min(count, Math.max(0, ties - before));
    before += count;
    return budget;
  });
}
