/** The last stage: final norm and logits, computed in blocks of rows so memory stays bounded by the vocabulary. */
import type { LanguageModelSpec } from '../arch/language-model-spec.js';
import type { MatmulBackend } from '../math/matmul.js';
import { layerNorm, rmsNorm } from '../math/norms.js';
import type { Scratch } from '../math/scratch.js';
import type { StageWeights, TensorRequest } from '../stream/program.js';

/** Rows of logits computed per block. */
export const BLOCK_ROWS = 64;

export function headRequests(spec: LanguageModelSpec): TensorRequest[] {
  if (spec.kind === 'llama') return [{ name: spec.finalNorm }, { name: spec.head }];
  return [{ name: spec.lnfW }, { name: spec.lnfB }, { name: spec.head }];
}

/** Applies the final norm to hidden rows `rows` (in place into a scratch copy) and hands out logits block by block. */
export async function headLogits(
  spec: LanguageModelSpec,
  w: StageWeights,
  hidden: Float32Array,
  rows: Int32Array,
  mm: MatmulBackend,
  sc: Scratch,
  onBlock: (logits: Float32Array, first: number, count: number) => void,
): Promise<void> {
  const H = spec.hidden;
  const V = spec.vocab;
  const head = w.get(spec.head);
  for (let first = 0; first < rows.length; first += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, rows.length - first);
    const x = sc.get(10, count * H);
    for (let i = 0; i < count; i++) x.set(hidden.subarray(rows[first + i] * H, rows[first + i] * H + H), i * H);
    if (spec.kind === 'llama') rmsNorm(x, count, H, w.get(spec.finalNorm), spec.eps, x);
    else layerNorm(x, count, H, w.get(spec.lnfW), w.get(spec.lnfB), spec.eps, x);
    const logits = sc.get(11, count * V);
    await mm.linear({ x, rows: count, w: head, outDim: V, inDim: H, y: logits });
    onBlock(logits, first, count);
  }
}
