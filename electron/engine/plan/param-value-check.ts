/** A resolved parameter value against its descriptor: type, range (min/max, exclusive ends), integer, options. */
import type { ParamDescriptor, ResolvedValue } from '../../../common/methods/types.js';

/** mergekit reads YAML 1.1, where these words are booleans; YAML 1.2 (ours) leaves them text. */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = Object.fromEntries([
  ...['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true]),
  ...['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false]),
]);

export type CheckedValue = { ok: true; value: ResolvedValue } | { ok: false; reason: string };

export function checkParamValue(desc: ParamDescriptor, value: ResolvedValue): CheckedValue {
  switch (desc.type) {
    case 'number': {
      // YAML 1.1 readers (mergekit's) leave `1e-5` as text; accept numeric text the same way.
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || (typeof value === 'string' && Number.isNaN(n))) return { ok: false, reason: `must be a number, got ${JSON.stringify(value)}` };
      // YAML's .nan and .inf, and numbers past float64's range such as 1e400 (JSON would show null).
      if (!Number.isFinite(n)) return { ok: false, reason: `must be a finite number, got ${String(n)}` };
      if (desc.integer && !Number.isInteger(n)) return { ok: false, reason: `must be a whole number, got ${n}` };
      const belowMin = desc.min !== undefined && (desc.minExclusive ? n <= desc.min : n < desc.min);
      const aboveMax = desc.max !== undefined && (desc.maxExclusive ? n >= desc.max : n > desc.max);
      if (belowMin || aboveMax) return { ok: false, reason: `must be in ${intervalText(desc.min, desc.max, desc.minExclusive, desc.maxExclusive)}, got ${n}` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const b = typeof value === 'string' ? YAML11_BOOLEANS[value] : value;
      return typeof b === 'boolean' ? { ok: true, value: b } : { ok: false, reason: `must be true or false, got ${JSON.stringify(value)}` };
    }
    case 'enum':
      return typeof value === 'string' && desc.options.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `must be one of ${desc.options.join(', ')}, got ${JSON.stringify(value)}` };
  }
}

function intervalText(min?: number, max?: number, minExclusive?: boolean, maxExclusive?: boolean): string {
  const lo = min === undefined ? '(−∞' : `${minExclusive ? '(' : '['}${min}`;
  const hi = max === undefined ? '∞)' : `${max}${maxExclusive ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}
