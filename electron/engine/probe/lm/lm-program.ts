/**
 * The language-model probe as a staged program: embedding, each decoder layer, then the head,
 * which scores the windows' targets (mean next-token cross-entropy in nats per text).
 */
import { InputError } from '../../io/types.js';
import type { LanguageModelSpec } from '../arch/language-model-spec.js';
import { crossEntropyRow } from '../math/cross-entropy.js';
import type { MatmulBackend } from '../math/matmul.js';
import { ropeTable, type RopeTable } from '../math/rope.js';
import { Scratch } from '../math/scratch.js';
import { distinctTokens, type Segment } from '../text/segments.js';
import type { LossTotal, ProbeProgram, ProgramMemory, StageSpec, StageWeights } from '../stream/program.js';
import { embed, embedRequests } from './embed.js';
import { gpt2Layer } from './gpt2-layer.js';
import { BLOCK_ROWS, headLogits, headRequests } from './head.js';
import { llamaLayer, type LayerTrace } from './llama-layer.js';
import { rowLayout, type RowLayout } from './row-layout.js';

export interface LmState {
  hidden: Float32Array | null;
  totals: LossTotal[];
}

/** Optional hooks for debugging against reference traces (tests). */
export interface LmHooks {
  /** After each layer: the residual stream and the attention / MLP outputs. */
  onLayer?(layer: number, hidden: Float32Array, trace: LayerTrace): void;
  /** Every logits row of every position (not only the scored ones), with its segment and position. */
  onLogits?(segment: number, position: number, logits: Float32Array): void;
}

export function checkWindowFits(spec: LanguageModelSpec, maxLength: number): void {
  if (spec.maxWindow !== undefined && maxLength > spec.maxWindow) {
    const what = spec.kind === 'gpt2' ? `n_positions ${spec.maxWindow}` : `sliding_window ${spec.maxWindow} (sliding-window attention is not implemented)`;
    throw new InputError(`a probe window of ${maxLength} tokens exceeds the model's ${what}; use a smaller --window`);
  }
}

/**
 * Besides the weights: each variant's residual stream [rows, hidden]; one layer's scratch
 * (llama-layer.ts, gpt2-layer.ts), a block of logits (head.ts), and the matrix product's copies of
 * its largest operands (the WebAssembly backend copies x, W and y into its memory).
 */
export function lmMemory(spec: LanguageModelSpec, rows: number): ProgramMemory {
  const H = spec.hidden;
  const F = spec.kind === 'llama' ? spec.intermediate : spec.inner;
  const V = spec.vocab;
  const perRow = spec.kind === 'llama' ? 2 * H + 2 * spec.heads * spec.headDim + 2 * spec.kvHeads * spec.headDim + 2 * F : 6 * H + F;
  const scratch = rows * perRow + BLOCK_ROWS * (H + V);
  const largestProduct = Math.max(F * H + rows * (F + H), V * H + BLOCK_ROWS * (V + H));
  return { perVariantBytes: rows * H * 4, workingBytes: (scratch + largestProduct) * 4 };
}

export function lmProgram(
  spec: LanguageModelSpec,
  segments: readonly Segment[],
  textCount: number,
  mm: MatmulBackend,
  hooks: LmHooks = {},
): ProbeProgram<LmState> {
  const layout: RowLayout = rowLayout(segments);
  checkWindowFits(spec, layout.maxLength);
  const tokens = distinctTokens(segments);
  for (const t of tokens) if (t >= spec.vocab) throw new InputError(`token id ${t} is outside the model's vocabulary of ${spec.vocab}`);
  const rope: RopeTable | undefined = spec.kind === 'llama' ? ropeTable(spec.invFreq, Math.max(1, layout.maxLength)) : undefined;
  const sc = new Scratch();
  const stages: StageSpec[] = [{ label: 'embedding', layer: null, tensors: embedRequests(spec, tokens, layout) }];
  for (let l = 0; l < spec.layers; l++) {
    const n = spec.kind === 'llama' ? spec.layer(l) : spec.layer(l);
    const names = Object.values(n).filter((x): x is string => typeof x === 'string');
    stages.push({ label: `layer ${l}`, layer: l, tensors: names.map((name) => ({ name })) });
  }
  stages.push({ label: 'head', layer: null, tensors: headRequests(spec) });

  // Rows whose logits are needed: the scored positions, or every position when a hook wants them.
  const scored: number[] = [];
  const targetOf: number[] = [];
  const segOf: number[] = [];
  const posOf: number[] = [];
  segments.forEach((s, si) => {
    const from = hooks.onLogits ? 0 : s.firstTarget - 1;
    for (let p = from; p < s.tokens.length; p++) {
      if (p === s.tokens.length - 1 && !hooks.onLogits) break;
      scored.push(layout.starts[si] + p);
      targetOf.push(p + 1 >= s.firstTarget && p + 1 < s.tokens.length ? s.tokens[p + 1] : -1);
      segOf.push(si);
      posOf.push(p);
    }
  });
  const rows = Int32Array.from(scored);

  const run = async (index: number, w: StageWeights, state: LmState): Promise<LmState> => {
    if (index === 0) return { hidden: embed(spec, w, segments, tokens, layout), totals: state.totals };
    const h = state.hidden;
    if (!h) throw new Error('the embedding stage must run first');
    if (index <= spec.layers) {
      const l = index - 1;
      const trace: LayerTrace | undefined = hooks.onLayer ? {} : undefined;
      if (spec.kind === 'llama') await llamaLayer(spec, spec.layer(l), w, h, layout, mm, sc, rope!, trace);
      else await gpt2Layer(spec, spec.layer(l), w, h, layout, mm, sc, trace);
      hooks.onLayer?.(l, h, trace!);
      return state;
    }
    const totals = state.totals.map(() => ({ nats: 0, count: 0 }));
    await headLogits(spec, w, h, rows, mm, sc, (logits, first, count) => {
      for (let i = 0; i < count; i++) {
        const r = first + i;
        if (hooks.onLogits) hooks.onLogits(segOf[r], posOf[r], logits.subarray(i * spec.vocab, (i + 1) * spec.vocab));
        const target = targetOf[r];
        if (target < 0) continue;
        const t = totals[segments[segOf[r]].text];
        t.nats += crossEntropyRow(logits, i * spec.vocab, spec.vocab, target);
        t.count++;
      }
    });
    // The activations are no longer needed: free them before the next variant's head runs.
    return { hidden: null, totals };
  };

  return {
    stages,
    memory: lmMemory(spec, layout.rows),
    init: () => ({ hidden: null, totals: Array.from({ length: textCount }, () => ({ nats: 0, count: 0 })) }),
    run,
    totals: (s) => s.totals,
  };
}
