/**
 * Where a sweep axis starts and ends unless the user says otherwise: the slider's range, narrowed
 * to values the node's method accepts at every step. The slider's own ends are not always valid
 * merges: density's lower end (0.01, the first step above its exclusive 0) keeps ⌊0.01·n⌋ = 0
 * entries of any tensor under 100 entries, which magnitude trimming refuses, so a whole row of
 * the grid came back refused.
 */
import type { MethodDescriptor, NumberParam, ParamSpec } from '../../../common/methods/types.js';
import { sliderRange } from '../components/params/ParamControl.js';

/** How far inside a bound the method refuses (strict inequalities) a default stays. */
const MARGIN = 0.05;
/** Density's default start: a tenth kept, the low end of what the TIES and DARE papers try. */
const DENSITY_START = 0.1;

function round(v: number): number {
  return Number(v.toPrecision(6));
}

function numberOr(v: ParamSpec | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

function defaultOf(method: MethodDescriptor | undefined, name: string): number | undefined {
  const p = method?.params.find((q) => q.name === name);
  return p?.type === 'number' ? p.default : undefined;
}

/**
 * `own`: the values set for the axis's input (its density, its ε), or the node's globals; a
 * per-layer curve counts as the default.
 */
export function sweepRange(method: MethodDescriptor | undefined, param: NumberParam, own: Readonly<Record<string, ParamSpec | undefined>> = {}): { min: number; max: number } {
  const slider = sliderRange(param);
  const della = !!method?.params.some((p) => p.name === 'epsilon');
  switch (param.name) {
    case 'density': {
      if (!della) return { min: DENSITY_START, max: 1 };
      // DELLA keeps with probabilities over [d − ε, d + ε], which must stay inside (0, 1) (d = 1 keeps all).
      const eps = numberOr(own.epsilon, defaultOf(method, 'epsilon') ?? 0);
      if (eps <= 0) return { min: DENSITY_START, max: 1 };
      const min = round(Math.max(DENSITY_START, eps + MARGIN));
      const max = round(1 - eps - MARGIN);
      return min <= max ? { min, max } : { min: 1, max: 1 };
    }
    case 'epsilon': {
      // The same band seen from ε: below both d and 1 − d, unless d = 1.
      const d = numberOr(own.density, defaultOf(method, 'density') ?? 1);
      if (d >= 1) return { min: slider.min, max: slider.max };
      return { min: 0, max: round(Math.max(0, Math.min(d, 1 - d) - MARGIN)) };
    }
    case 'weight':
      // Negative weights subtract; with normalize on, one can bring the weights' sum to 0, which is refused.
      return { min: Math.max(0, slider.min), max: slider.max };
    default:
      return { min: slider.min, max: slider.max };
  }
}
