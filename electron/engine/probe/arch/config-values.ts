/** Typed reads of config.json values, with errors that name the file and the key. */
import { InputError } from '../../io/types.js';

export type Config = Record<string, unknown>;

/** A finite number at `key`, else `fallback` when given, else an InputError. */
export function configNumber(config: Config, key: string, file: string, fallback?: number): number {
  const v = config[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new InputError(`${file}: config.json has no "${key}", which the probe needs`, file);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${file}: config.json "${key}" is ${JSON.stringify(v)}, not a number`, file);
  return v;
}

/** A positive integer at `key` (or the first of several spellings), else fallback / InputError. */
export function configInt(config: Config, keys: string | string[], file: string, fallback?: number): number {
  const list = Array.isArray(keys) ? keys : [keys];
  const key = list.find((k) => config[k] !== undefined && config[k] !== null);
  if (key === undefined) {
    if (fallback !== undefined) return fallback;
    throw new InputError(`${file}: config.json has no "${list.join('" or "')}", which the probe needs`, file);
  }
  const v = configNumber(config, key, file);
  if (!Number.isSafeInteger(v) || v <= 0) throw new InputError(`${file}: config.json "${key}" is ${v}, not a positive integer`, file);
  return v;
}

export function configBool(config: Config, key: string, file: string, fallback: boolean): boolean {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new InputError(`${file}: config.json "${key}" is ${JSON.stringify(v)}, not true or false`, file);
  return v;
}

export function configString(config: Config, key: string, file: string, fallback: string): string {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new InputError(`${file}: config.json "${key}" is ${JSON.stringify(v)}, not a string`, file);
  return v;
}
