/**
 * After a merge: probe the written model once and compare with the preview's value at the chosen
 * setting. The preview merges with the same kernels, dtype rounding and random keys, so the two
 * must agree; a difference beyond 1e-4 nats means the written file is not the previewed model.
 */
import type { CheckpointInfo } from '../../io/types.js';
import { probeLoss, type ProbeRunOptions, type TextLoss } from '../probe-loss.js';
import type { ProbeText } from '../text/probe-text.js';

/** Largest accepted |written − preview| in nats per token. */
export const WRITTEN_TOLERANCE = 1e-4;

export interface WrittenCheck {
  ok: boolean;
  /** The written model's loss per text. */
  written: TextLoss[];
  /** The preview's loss per text, as given. */
  preview: number[];
  maxDifference: number;
  /** Set when not ok: what to show as the error. */
  message?: string;
}

export async function checkWrittenModel(
  output: string | CheckpointInfo,
  texts: readonly ProbeText[],
  preview: readonly number[],
  opts: ProbeRunOptions = {},
): Promise<WrittenCheck> {
  if (preview.length !== texts.length) throw new RangeError(`${preview.length} preview losses for ${texts.length} probe texts`);
  const res = await probeLoss(output, texts, opts);
  const diffs = res.texts.map((t, i) => Math.abs(t.loss - preview[i]));
  const maxDifference = Math.max(...diffs.map((d) => (Number.isNaN(d) ? Number.POSITIVE_INFINITY : d)));
  const ok = maxDifference <= WRITTEN_TOLERANCE;
  const worst = diffs.indexOf(Math.max(...diffs));
  const where = typeof output === 'string' ? output : output.path;
  return {
    ok,
    written: res.texts,
    preview: [...preview],
    maxDifference,
    ...(ok
      ? {}
      : {
          message: `${where}: the written model's probe loss on ${texts[worst >= 0 ? worst : 0].name} is ${res.texts[worst >= 0 ? worst : 0].loss.toFixed(6)} nats, the preview's was ${preview[worst >= 0 ? worst : 0].toFixed(6)} (difference ${maxDifference.toExponential(2)} > ${WRITTEN_TOLERANCE})`,
        }),
  };
}
