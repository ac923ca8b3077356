/**
 * Where a streaming probe (barrier preview, sweep) is in the model: all K settings advance stage by
 * stage together (embedding, layer 0 … layer N−1, head), each stage's weights read once, so the
 * points only become known in the last stage. This turns the latest stage event into the share of
 * the work done and a short label ("layer 12/32") for the chart while it streams.
 */
import type { TaskEvent } from '../../../common/contract/tasks.js';

type StageEvent = Extract<TaskEvent, { type: 'stage' }>;

export interface StreamProgress {
  /** Share of the stage × setting steps done, in [0, 1]. */
  fraction: number;
  /** "layer 12/32", "embedding", "head". */
  where: string;
  /** "layer 12/32 · 4 of 11 settings advanced" (reading the stage's weights when none has). */
  text: string;
}

export function streamProgress(p: StageEvent | null): StreamProgress | null {
  if (!p) return null;
  const layers = p.layers ?? p.stages - 2;
  const where = p.layer !== null && layers > 0 ? `layer ${p.layer + 1}/${layers}` : p.label;
  const fraction = Math.min(1, Math.max(0, (p.stage + p.variantsDone / p.variants) / p.stages));
  const step = p.variantsDone === 0 ? 'reading its weights' : `${p.variantsDone} of ${p.variants} settings advanced`;
  const last = p.stage === p.stages - 1;
  const text = `${where} · ${step}${last ? '' : ' · points appear in the last stage'}`;
  if (p.passes === undefined || p.pass === undefined) return { fraction, where, text };
  // Text by text: one pass per text, each filling its own curve.
  const ofText = `text ${p.pass + 1}/${p.passes}`;
  return { fraction: (p.pass + fraction) / p.passes, where: `${ofText} · ${where}`, text: `${ofText} · ${text.replace('points appear', "this text's points appear")}` };
}
