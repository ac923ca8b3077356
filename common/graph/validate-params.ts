/** Range and presence checks of a merge node's parameters against its method's descriptors. */
import type { MethodDescriptor, NumberParam, ParamSpec } from '../methods/types.js';
import { effectiveModelParam } from './inherited-param.js';
import { numbersIn } from './param-resolve.js';
import { invalid, VALID, type Validity } from './validity.js';

export function rangeText(p: NumberParam): string {
  const lo = p.min === undefined ? '−∞' : String(p.min);
  const hi = p.max === undefined ? '∞' : String(p.max);
  return `${p.minExclusive ? '(' : '['}${lo}, ${hi}${p.maxExclusive ? ')' : ']'}`;
}

export function checkNumber(p: NumberParam, v: number): string | null {
  if (!Number.isFinite(v)) return `${p.label} must be a finite number.`;
  if (p.integer && !Number.isInteger(v)) return `${p.label} must be a whole number.`;
  const below = p.min !== undefined && (p.minExclusive ? v <= p.min : v < p.min);
  const above = p.max !== undefined && (p.maxExclusive ? v >= p.max : v > p.max);
  if (below || above) return `${p.label} ${v} is out of range ${rangeText(p)}.`;
  return null;
}

function checkValue(p: MethodDescriptor['params'][number], spec: ParamSpec, whose: string): Validity {
  if (p.type === 'number') {
    const nums = numbersIn(spec);
    if (nums.length === 0 && typeof spec !== 'number' && !Array.isArray(spec)) return invalid(`${p.label}${whose} must be a number.`);
    for (const v of nums) {
      const why = checkNumber(p, v);
      if (why) return invalid(why.replace(p.label, `${p.label}${whose}`));
    }
  }
  return VALID;
}

/** perModel: the per-model parameter maps with the name of the input they belong to. */
export function validateParams(
  method: MethodDescriptor,
  globals: Record<string, ParamSpec>,
  perModel: { name: string; params: Record<string, ParamSpec>; weightImplied: boolean }[],
): Validity {
  for (const p of method.params) {
    if (p.scope === 'global') {
      const v = globals[p.name];
      if (v === undefined) {
        if (p.type === 'number' && p.default === undefined) return invalid(`${p.label} is required.`);
        continue;
      }
      const r = checkValue(p, v, '');
      if (!r.ok) return r;
    } else {
      for (const m of perModel) {
        // The input's own value, else the node's (which every input that does not set its own inherits).
        const eff = effectiveModelParam(p, m.params[p.name], globals[p.name]);
        const v = eff.from === 'model' || eff.from === 'node' ? eff.value : undefined;
        if (v === undefined) {
          if (p.type === 'number' && p.default === undefined && !(p.name === 'weight' && m.weightImplied)) {
            return invalid(`${p.label} of ${m.name} is required.`);
          }
          continue;
        }
        const r = checkValue(p, v, ` of ${m.name}`);
        if (!r.ok) return r;
      }
    }
  }
  return VALID;
}
