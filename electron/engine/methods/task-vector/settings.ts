/**
 * The task-vector family's resolved parameters for one tensor, read and checked in one place:
 * validate() reports the problems (spec §0 degenerate parameters) and run() refuses them.
 * Missing optional values fall back to the registry's defaults, then to the spec's.
 */
import { getMethod } from '../../../../common/methods/registry.js';
import type { ResolvedParams, ResolvedValue } from '../../../../common/methods/types.js';
import type { ParamProblem } from '../kernel.js';
import type { FamilyShape, TaskVectorMethodId } from './family.js';

/** How survivors of sparsification are rescaled: ×1/p, ×‖δ‖₁/‖δ⊙m‖₁, or not at all. */
export type RescaleRule = 'none' | 'inverse' | 'l1';
export type Consensus = 'sum' | 'count';

export interface ModelSettings {
  weight: number;
  density: number;
  /** breadcrumbs: fraction of the largest entries dropped. */
  gamma: number;
  /** DELLA: spread of keep probabilities around the density. */
  epsilon: number;
}

export interface TaskVectorSettings {
  models: ModelSettings[];
  normalize: boolean;
  lambda: number;
  consensus: Consensus;
  /** The effective rule ('none' when `rescale` is off). */
  rescale: RescaleRule;
}

const SPEC_DEFAULTS: Readonly<Record<string, ResolvedValue>> = {
  density: 1,
  gamma: 0.01,
  epsilon: 0.15,
  lambda: 1,
  consensus: 'sum',
  normalize: false,
  rescale: false,
};

const RESCALE_NORMS: readonly string[] = ['inverse', 'l1', 'none'];
const CONSENSUS: readonly string[] = ['sum', 'count'];

/** |Σw| below this cannot be divided by (spec §0). */
export const MIN_WEIGHT_SUM = 1e-8;

function registryDefault(id: TaskVectorMethodId, name: string): ResolvedValue | undefined {
  return getMethod(id)?.params.find((p) => p.name === name)?.default;
}

export interface ParsedSettings {
  settings: TaskVectorSettings;
  problems: ParamProblem[];
}

/** Reads and checks the parameters for one tensor of `numel` elements (spec §0, §2). */
export function parseSettings(
  id: TaskVectorMethodId,
  shape: FamilyShape,
  modelParams: readonly ResolvedParams[],
  global: ResolvedParams,
  numel: number,
): ParsedSettings {
  const problems: ParamProblem[] = [];
  const value = (p: ResolvedParams, name: string): ResolvedValue | undefined =>
    p[name] ?? registryDefault(id, name) ?? SPEC_DEFAULTS[name];
  const number = (p: ResolvedParams, name: string, model?: number): number => {
    const v = value(p, name);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    const what = v === undefined ? 'is required' : `must be a finite number (got ${JSON.stringify(v)})`;
    problems.push({ param: name, message: `${name} ${what}`, model });
    return NaN;
  };
  const boolean = (name: string): boolean => {
    const v = value(global, name);
    if (typeof v === 'boolean') return v;
    problems.push({ param: name, message: `${name} must be true or false (got ${JSON.stringify(v)})` });
    return false;
  };
  const choice = (name: string, options: readonly string[], fallback: string): string => {
    const v = value(global, name) ?? fallback;
    if (typeof v === 'string' && options.includes(v)) return v;
    problems.push({ param: name, message: `${name} must be one of ${options.join(', ')} (got ${JSON.stringify(v)})` });
    return fallback;
  };

  if (modelParams.length === 0) problems.push({ param: 'models', message: `${id} needs at least one model besides the base` });

  const models = modelParams.map((p, i): ModelSettings => {
    const weight = number(p, 'weight', i);
    const sparse = shape.sparsifier !== 'none';
    const density = sparse ? number(p, 'density', i) : 1;
    const gamma = shape.sparsifier === 'outliers' ? number(p, 'gamma', i) : 0;
    const epsilon = shape.sparsifier === 'della' ? number(p, 'epsilon', i) : 0;
    if (sparse && !(density > 0 && density <= 1) && !Number.isNaN(density)) {
      problems.push({ param: 'density', model: i, message: `density ${density} is outside (0, 1]` });
    } else if (shape.sparsifier === 'magnitude' && density < 1 && numel > 0 && Math.floor(density * numel) === 0) {
      problems.push({
        param: 'density',
        model: i,
        message: `density ${density} keeps ⌊${density}·${numel}⌋ = 0 of this tensor's ${numel} entries`,
      });
    }
    if (shape.sparsifier === 'outliers' && !(gamma >= 0 && gamma <= 1) && !Number.isNaN(gamma)) {
      problems.push({ param: 'gamma', model: i, message: `gamma ${gamma} is outside [0, 1]` });
    }
    if (shape.sparsifier === 'della' && !Number.isNaN(epsilon)) {
      if (epsilon < 0) problems.push({ param: 'epsilon', model: i, message: `epsilon ${epsilon} is negative` });
      else if (density > 0 && density < 1 && (density - epsilon <= 0 || density + epsilon >= 1)) {
        problems.push({
          param: 'epsilon',
          model: i,
          message: `density ${density} ± epsilon ${epsilon} must stay inside (0, 1): keep probabilities range over [d − ε, d + ε]`,
        });
      }
    }
    return { weight, density, gamma, epsilon };
  });

  const normalize = boolean('normalize');
  const lambda = number(global, 'lambda');
  const consensus = shape.consensus ? (choice('consensus', CONSENSUS, 'sum') as Consensus) : 'sum';
  const rescale = readRescale(shape, boolean('rescale'), () =>
    choice('rescale_norm', RESCALE_NORMS, shape.sparsifier === 'random' || shape.sparsifier === 'della' ? 'inverse' : 'l1'),
  );
  if (rescale === 'inverse' && (shape.sparsifier === 'magnitude' || shape.sparsifier === 'outliers')) {
    problems.push({
      param: 'rescale_norm',
      message: "rescale_norm 'inverse' needs a keep probability; magnitude trimming rescales by 'l1' (or 'none')",
    });
  }

  if (normalize && !shape.consensus) {
    const sum = models.reduce((s, m) => s + m.weight, 0);
    if (Math.abs(sum) < MIN_WEIGHT_SUM) {
      problems.push({ param: 'weight', message: `the weights sum to ${sum}, and normalize divides by their sum` });
    }
  }
  return { settings: { models, normalize, lambda, consensus, rescale }, problems };
}

function readRescale(shape: FamilyShape, on: boolean, norm: () => string): RescaleRule {
  if (!on || shape.sparsifier === 'none') return 'none';
  return norm() as RescaleRule;
}
