/**
 * The slider of a numeric parameter: its range and the step of its grid. A range input only takes
 * min + n·step (and max), so the step decides which values a slider can land on: −1…2 in steps of
 * 0.03 went from 0.98 to 1.01, never 1.
 */
import type { NumberParam } from '../../../../common/methods/types.js';

export interface SliderRange {
  min: number;
  max: number;
  step: number;
}

/** At least this many positions between the ends (a step of a hundredth of the range, or finer). */
const POSITIONS = 100;
/**
 * At most this many: a default finer than that (ε's 1e-8 on 0…1) would make every position a
 * number with eight decimals and the arrow keys useless; the number box takes such values.
 */
const MAX_POSITIONS = 1e6;

function onGrid(offset: number, step: number): boolean {
  const n = offset / step;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/**
 * The coarsest power of ten, at most a hundredth of the range, whose grid from `lo` holds every
 * one of `anchors`; none when no such step has at most MAX_POSITIONS positions.
 */
function decimalStep(lo: number, hi: number, anchors: readonly number[]): number | undefined {
  const span = hi - lo;
  // (+1e-9: log10 of 0.01 may come out a hair under −2.)
  for (let k = Math.floor(Math.log10(span / POSITIONS) + 1e-9); span / 10 ** k <= MAX_POSITIONS; k--) {
    // From its decimal text: 10 ** -2 is not the double nearest to 0.01 for every k.
    const step = Number(`1e${k}`);
    if (anchors.every((a) => onGrid(a - lo, step))) return step;
  }
  return undefined;
}

/**
 * The slider's range (the valid range, else the soft one, wide enough to hold the default) and a
 * step on whose grid it lands exactly on its ends, on 0 and 1 where they are in range, and on the
 * default. The number box beside it takes any value.
 */
export function sliderRange(p: NumberParam): SliderRange {
  const lo = p.min ?? p.softMin ?? 0;
  const hi = p.max ?? p.softMax ?? Math.max(1, lo + 1, p.default === undefined ? -Infinity : 2 * p.default);
  let step = 1;
  if (!p.integer) {
    const anchors = [hi, ...[0, 1].filter((v) => v > lo && v < hi)];
    const withDefault = p.default !== undefined && p.default >= lo && p.default <= hi ? [...anchors, p.default] : null;
    step = (withDefault && decimalStep(lo, hi, withDefault)) ?? decimalStep(lo, hi, anchors) ?? (hi - lo) / POSITIONS;
  }
  // An excluded end is not a value: the slider stops one step inside it (still on the grid).
  return { min: p.minExclusive ? lo + step : lo, max: p.maxExclusive ? hi - step : hi, step };
}
