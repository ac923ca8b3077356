/**
 * A PEFT LoRA adapter's adapter_config.json: the keys that decide how ΔW is built, validated, with
 * errors naming the file. Everything Crucible cannot reproduce exactly (DoRA, other PEFT types) is
 * refused rather than approximated.
 */
import { InputError } from '../io/types.js';

export interface LoraAdapterConfig {
  /** Default rank (rank_pattern may override it per module). */
  r: number;
  /** Default alpha (alpha_pattern may override it per module). */
  loraAlpha: number;
  /** scale = alpha / sqrt(r) instead of alpha / r. */
  useRslora: boolean;
  /** The adapted layers store weights [in, out] (GPT-2's Conv1D): ΔW = (B·A)ᵀ. */
  fanInFanOut: boolean;
  /** A list of module-name suffixes, a regular expression (full match), or 'all-linear'; undefined when absent. */
  targetModules?: string[] | string;
  rankPattern: Record<string, number>;
  alphaPattern: Record<string, number>;
  /** As written; for messages and to find the base model. */
  baseModelNameOrPath?: string;
}

type Json = Record<string, unknown>;

function fail(file: string, message: string): never {
  throw new InputError(`${file}: ${message}`, file);
}

function numberMap(v: unknown, key: string, file: string): Record<string, number> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail(file, `${key} must be an object of numbers`);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v as Json)) {
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) fail(file, `${key}[${JSON.stringify(k)}] must be a positive number (got ${JSON.stringify(x)})`);
    out[k] = x;
  }
  return out;
}

function flag(json: Json, key: string, file: string): boolean {
  const v = json[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(file, `${key} must be true or false (got ${JSON.stringify(v)})`);
  return v;
}

/** Validates a parsed adapter_config.json. */
export function parseAdapterConfig(json: Json, file: string): LoraAdapterConfig {
  const type = json.peft_type;
  if (type !== undefined && type !== 'LORA') {
    fail(file, `peft_type ${JSON.stringify(type)} is not supported: Crucible applies LoRA adapters (peft_type "LORA") only`);
  }
  if (flag(json, 'use_dora', file)) fail(file, 'use_dora is true: DoRA adapters are not supported yet (their magnitude vector rescales whole columns)');
  const r = json.r;
  if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1) fail(file, `r must be a positive integer (got ${JSON.stringify(r)})`);
  // PEFT's default lora_alpha is 8.
  const alpha = json.lora_alpha ?? 8;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) fail(file, `lora_alpha must be a number (got ${JSON.stringify(alpha)})`);
  const tm = json.target_modules;
  let targetModules: string[] | string | undefined;
  if (tm === undefined || tm === null) targetModules = undefined;
  else if (typeof tm === 'string') targetModules = tm;
  else if (Array.isArray(tm) && tm.every((t) => typeof t === 'string')) targetModules = tm as string[];
  else fail(file, `target_modules must be a list of module names or a regular expression (got ${JSON.stringify(tm)})`);
  if (typeof targetModules === 'string' && targetModules !== 'all-linear') {
    try {
      new RegExp(targetModules);
    } catch (e) {
      fail(file, `target_modules ${JSON.stringify(targetModules)} is not a valid regular expression (${(e as Error).message})`);
    }
  }
  const base = json.base_model_name_or_path;
  return {
    r,
    loraAlpha: alpha,
    useRslora: flag(json, 'use_rslora', file),
    fanInFanOut: flag(json, 'fan_in_fan_out', file),
    targetModules,
    rankPattern: numberMap(json.rank_pattern, 'rank_pattern', file),
    alphaPattern: numberMap(json.alpha_pattern, 'alpha_pattern', file),
    ...(typeof base === 'string' && base !== '' ? { baseModelNameOrPath: base } : {}),
  };
}
