/**
 * Which modules an adapter targets and which rank/alpha applies to each, with PEFT's matching
 * rules: target_modules as a list matches a module whose name is an entry or ends with "." + entry;
 * as a string it is a regular expression that must match the whole name ('all-linear' matches any
 * module but the output layer); rank_pattern / alpha_pattern keys match like `(^|.*\.)key$`, the
 * first matching key in insertion order winning (PEFT's get_pattern_key).
 */
import type { LoraAdapterConfig } from './adapter-config.js';

const OUTPUT_LAYERS = new Set(['lm_head', 'embed_out', 'output', 'score']);

export function isTargetModule(module: string, target: LoraAdapterConfig['targetModules']): boolean {
  if (target === undefined) return true;
  if (typeof target === 'string') {
    if (target === 'all-linear') return !OUTPUT_LAYERS.has(module.split('.').pop() ?? module);
    return new RegExp(`^(?:${target})$`).test(module);
  }
  return target.some((t) => module === t || module.endsWith(`.${t}`));
}

/** The value of the first pattern key matching the module, else the default. */
export function patternValue(module: string, pattern: Readonly<Record<string, number>>, fallback: number): number {
  for (const [key, value] of Object.entries(pattern)) {
    // PEFT inserts the key unescaped: keys are regular expressions.
    if (new RegExp(`(^|.*\\.)${key}$`).test(module)) return value;
  }
  return fallback;
}

/** LoRA's scaling of B·A for a module: alpha / r, or alpha / sqrt(r) with rsLoRA (float64). */
export function loraScale(module: string, config: LoraAdapterConfig): { rank: number; alpha: number; scale: number } {
  const rank = patternValue(module, config.rankPattern, config.r);
  const alpha = patternValue(module, config.alphaPattern, config.loraAlpha);
  return { rank, alpha, scale: config.useRslora ? alpha / Math.sqrt(rank) : alpha / rank };
}
