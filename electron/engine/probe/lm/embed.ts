/** The first stage: token embeddings (plus learned positions for GPT-2) for every window's rows. */
import type { LanguageModelSpec } from '../arch/language-model-spec.js';
import type { Segment } from '../text/segments.js';
import type { StageWeights, TensorRequest } from '../stream/program.js';
import type { RowLayout } from './row-layout.js';

/** Tensors of the embedding stage: only the embedding rows of tokens the probe uses. */
export function embedRequests(spec: LanguageModelSpec, tokens: Int32Array, layout: RowLayout): TensorRequest[] {
  if (spec.kind === 'llama') return [{ name: spec.embed, rows: tokens }];
  return [
    { name: spec.wte, rows: tokens },
    { name: spec.wpe, rows: Int32Array.from({ length: layout.maxLength }, (_, i) => i) },
  ];
}

/** hidden [rows, H] for the windows; `tokens` are the distinct ids, in the order of the gathered rows. */
export function embed(spec: LanguageModelSpec, w: StageWeights, segments: readonly Segment[], tokens: Int32Array, layout: RowLayout): Float32Array {
  const H = spec.hidden;
  const rowOf = new Map<number, number>();
  tokens.forEach((t, i) => rowOf.set(t, i));
  const table = w.get(spec.kind === 'llama' ? spec.embed : spec.wte);
  const pos = spec.kind === 'gpt2' ? w.get(spec.wpe) : undefined;
  const h = new Float32Array(layout.rows * H);
  segments.forEach((s, si) => {
    const base = layout.starts[si];
    s.tokens.forEach((t, p) => {
      const r = rowOf.get(t);
      if (r === undefined || t >= spec.vocab || t < 0) throw new RangeError(`token id ${t} outside the vocabulary of ${spec.vocab}`);
      const dst = (base + p) * H;
      const src = r * H;
      if (pos) for (let i = 0; i < H; i++) h[dst + i] = table[src + i] + pos[p * H + i];
      else h.set(table.subarray(src, src + H), dst);
    });
  });
  return h;
}
