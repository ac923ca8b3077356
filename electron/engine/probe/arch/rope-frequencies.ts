/**
 * RoPE inverse frequencies as HF's rope initialisation functions compute them: the default
 * schedule, `linear` scaling (positions divided by the factor) and `llama3` scaling (long
 * wavelengths divided by the factor, a smooth blend in between). Any other rope type is refused:
 * the probe never runs with numbers it knows to be wrong.
 */
import { InputError } from '../../io/types.js';
import { configNumber, type Config } from './config-values.js';

export type RopeScaling =
  | { type: 'linear'; factor: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

/** Reads config.json's rope_scaling (null, absent or type `default` mean none). */
export function parseRopeScaling(config: Config, file: string): RopeScaling | undefined {
  const raw = config.rope_scaling;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file}: config.json "rope_scaling" is not an object`, file);
  const rs = raw as Config;
  const type = rs.rope_type ?? rs.type;
  if (type === undefined || type === 'default') return undefined;
  const where = `${file}: config.json rope_scaling`;
  if (type === 'linear') return { type, factor: positive(rs, 'factor', where, file) };
  if (type === 'llama3') {
    return {
      type,
      factor: positive(rs, 'factor', where, file),
      lowFreqFactor: positive(rs, 'low_freq_factor', where, file),
      highFreqFactor: positive(rs, 'high_freq_factor', where, file),
      originalMaxPositions: positive(rs, 'original_max_position_embeddings', where, file),
    };
  }
  throw new InputError(
    `${file}: rope_scaling of type ${JSON.stringify(type)} is not implemented in the probe (only "linear" and "llama3" are); refusing rather than computing wrong losses`,
    file,
  );
}

function positive(rs: Config, key: string, where: string, file: string): number {
  const v = configNumber(rs, key, file);
  if (!(v > 0)) throw new InputError(`${where} "${key}" must be positive (got ${v})`, file);
  return v;
}

/** inv_freq[i] = 1 / theta^(2i/d), i < d/2, then scaled; float32 like HF's. */
export function ropeInvFreq(headDim: number, theta: number, scaling?: RopeScaling): Float32Array {
  const half = headDim / 2;
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) inv[i] = 1 / Math.fround(Math.pow(theta, Math.fround((2 * i) / headDim)));
  if (!scaling) return inv;
  if (scaling.type === 'linear') {
    for (let i = 0; i < half; i++) inv[i] = inv[i] / scaling.factor;
    return inv;
  }
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositions } = scaling;
  const lowFreqWavelen = originalMaxPositions / lowFreqFactor;
  const highFreqWavelen = originalMaxPositions / highFreqFactor;
  for (let i = 0; i < half; i++) {
    const f = inv[i];
    const wavelen = (2 * Math.PI) / f;
    if (wavelen > lowFreqWavelen) inv[i] = f / factor;
    else if (wavelen >= highFreqWavelen) {
      const smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
      inv[i] = ((1 - smooth) * f) / factor + smooth * f;
    }
  }
  return inv;
}
