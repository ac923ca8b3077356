/**
 * Weights summing to zero where the method divides by Σw (linear with normalize, multislerp, task
 * arithmetic family without sign consensus and with normalize) would divide by zero (spec §0).
 */
import type { MethodDescriptor, ParamSpec } from '../methods/types.js';
import { layerPosition, resolveParam } from './param-resolve.js';
import { invalid, VALID, type Validity } from './validity.js';

export function dividesByWeightSum(method: MethodDescriptor, globals: Record<string, ParamSpec>): boolean {
  const flag = (name: string): boolean => {
    const d = method.params.find((p) => p.name === name);
    if (!d || d.type !== 'boolean') return false;
    const v = globals[name];
    return typeof v === 'boolean' ? v : d.default;
  };
  if (method.id === 'linear') return flag('normalize');
  if (method.id === 'multislerp') return flag('normalize_weights');
  if (method.family === 'taskVector' && method.id !== 'sce') {
    return !method.params.some((p) => p.name === 'consensus') && flag('normalize');
  }
  return false;
}

export interface TensorSample {
  name: string;
  layer: number | null;
}

/**
 * samples: the output's tensors when the headers are known; else layer positions alone.
 * weights: each input's weight levels, highest precedence first (its own, then the node's, which
 * every input that does not set its own inherits): the first whose filters match a tensor gives it.
 */
export function checkWeightSum(
  method: MethodDescriptor,
  globals: Record<string, ParamSpec>,
  weights: readonly (readonly ParamSpec[])[],
  samples: TensorSample[],
  layerCount: number,
): Validity {
  if (!dividesByWeightSum(method, globals) || weights.length === 0) return VALID;
  for (const s of samples) {
    const t = layerPosition(s.layer, layerCount);
    let sum = 0;
    for (const levels of weights) {
      const v = levels.map((w) => resolveParam(w, s.name, t)).find((x) => x !== undefined);
      if (typeof v !== 'number') return VALID;
      sum += v;
    }
    if (Math.abs(sum) < 1e-8) {
      const where = s.name ? ` for ${s.name}` : s.layer === null ? '' : ` at layer ${s.layer}`;
      return invalid(`The weights sum to zero${where} while normalize is on: nothing to divide by. Change a weight or turn normalize off.`);
    }
  }
  return VALID;
}

/** Positions to check when no header is known: every layer of an assumed stack fine enough for the anchors. */
export function syntheticSamples(weights: readonly ParamSpec[]): { samples: TensorSample[]; layerCount: number } {
  let anchors = 2;
  for (const w of weights) if (Array.isArray(w) && typeof w[0] === 'number') anchors = Math.max(anchors, w.length);
  const layerCount = (anchors - 1) * 8 + 1;
  return { samples: Array.from({ length: layerCount }, (_, i) => ({ name: '', layer: i })), layerCount };
}
