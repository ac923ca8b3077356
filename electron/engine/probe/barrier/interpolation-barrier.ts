/**
 * The loss barrier between two models along (1−λ)·A + λ·B, λ_j = j/(K−1): every point's loss on
 * every probe text, each text's curve and barrier, and the mean curve over texts with its barrier.
 */
import type { CheckpointInfo } from '../../io/types.js';
import { openModel } from '../probe-loss.js';
import { detectLanguageModel } from '../arch/detect-language-model.js';
import { looksLikeMlp } from '../mlp/mlp-spec.js';
import { newIoStats, type IoStats } from '../stream/io-stats.js';
import { ProbeCache, probeCacheKey } from '../sweep/probe-cache.js';
import { textHash, type ProbeText } from '../text/probe-text.js';
import { tokenizerFor } from '../text/tokenizer.js';
import { resolveWindowOptions } from '../text/windows.js';
import { curveOf, lambdaPoints, type Curve, type CurvePoint } from './barrier-height.js';
import { interpolationPlans, MODEL_A, MODEL_B, planAt } from './interpolation-plan.js';
import { variantLosses, type VariantsOptions } from './variant-losses.js';
import { outputHeaders } from './output-headers.js';

export interface BarrierOptions extends VariantsOptions {
  /** K, the number of points (default 11). */
  points?: number;
  /** Cached results are returned (and reported point by point) without reading any weight. */
  cache?: ProbeCache;
}

export interface TextCurve extends Curve {
  name: string;
  tokens: number;
}

export interface BarrierResult {
  /** The mean over texts of the loss at each λ. */
  points: CurvePoint[];
  barrier: number;
  texts: TextCurve[];
  io: IoStats;
  warnings: string[];
}

/** Per-text curves and the mean curve from losses[variant][text] at the points λ. */
export function barrierResult(lambdas: number[], losses: number[][], names: string[], tokens: number[]): Omit<BarrierResult, 'io' | 'warnings'> {
  const texts = names.map((name, t) => ({ name, tokens: tokens[t], ...curveOf(lambdas, losses.map((row) => row[t])) }));
  const mean = curveOf(
    lambdas,
    losses.map((row) => row.reduce((s, x) => s + x, 0) / row.length),
  );
  return { points: mean.points, barrier: mean.barrier, texts };
}

export async function interpolationBarrier(
  a: string | CheckpointInfo,
  b: string | CheckpointInfo,
  texts: readonly ProbeText[],
  opts: BarrierOptions = {},
): Promise<BarrierResult> {
  const lambdas = lambdaPoints(opts.points ?? 11);
  const A = await openModel(a);
  const B = await openModel(b);
  const checkpoints = new Map([
    [MODEL_A, A],
    [MODEL_B, B],
  ]);
  const templates = new Map(interpolationPlans(A, B).map((p) => [p.name, p]));
  const headers = outputHeaders([...templates.values()], checkpoints, MODEL_A);
  const tokenizer = looksLikeMlp(headers) ? undefined : (opts.tokenizer ?? (await tokenizerFor(A.folder, detectLanguageModel(headers).vocab)));
  const { window, stride } = resolveWindowOptions(opts);
  const key = probeCacheKey({
    inputHeaderHashes: [A, B].flatMap((ck) => ck.files.map((f) => f.headerSha256)),
    parameters: { interpolate: 'linear (1-λ)A + λB' },
    textHashes: texts.map(textHash),
    window,
    stride,
    points: lambdas.length,
    tokenizer: tokenizer?.id ?? 'csv',
  });
  const hit = opts.cache?.get(key) as Omit<BarrierResult, 'io'> | undefined;
  if (hit) {
    hit.points.forEach((_, j) => opts.onVariant?.({ type: 'variant', variant: j, losses: hit.texts.map((t) => t.points[j].loss) }));
    return { ...hit, io: newIoStats() };
  }
  const run = await variantLosses(
    {
      variants: lambdas.length,
      plan: (j, name) => {
        const t = templates.get(name);
        if (!t) throw new Error(`tensor ${name} is not in both models`);
        return planAt(t, lambdas[j]);
      },
      checkpoints,
      headers,
      tokenizerFolder: A.folder,
      seed: 0,
    },
    texts,
    { ...opts, tokenizer },
  );
  const result = {
    ...barrierResult(
      lambdas,
      run.losses,
      texts.map((t) => t.name),
      run.tokens,
    ),
    warnings: run.warnings,
  };
  opts.cache?.set(key, result);
  return { ...result, io: run.io };
}
