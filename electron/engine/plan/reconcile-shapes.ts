/**
 * Inputs of one tensor must agree in shape (spec §0), except vocabulary embeddings whose row counts
 * differ: those are cut to the smallest vocabulary. A column (hidden size) mismatch is an error.
 */
import type { TensorInfo } from '../io/types.js';
import type { PlanProblem } from './validation-error.js';

export interface ShapedInput {
  key: string;
  info: TensorInfo;
}

export type ShapeResult = { ok: true; rows?: number } | { ok: false; problem: PlanProblem };

export function reconcileShapes(name: string, inputs: readonly ShapedInput[], vocab: boolean): ShapeResult {
  const first = inputs[0];
  let rows = first.info.shape[0];
  let cut = false;
  for (const other of inputs.slice(1)) {
    const a = first.info.shape;
    const b = other.info.shape;
    const sameTail = a.length === b.length && a.every((d, i) => i === 0 || d === b[i]);
    if (sameTail && a[0] === b[0]) continue;
    if (vocab && sameTail && a.length >= 1) {
      cut = true;
      rows = Math.min(rows, b[0]);
      continue;
    }
    const what = vocab && a.length === b.length ? ' (the hidden size differs)' : '';
    return {
      ok: false,
      problem: {
        message: `tensor '${name}' has shape [${a.join(', ')}] in ${first.info.file} ('${first.key}') but [${b.join(', ')}] in ${other.info.file} ('${other.key}')${what}`,
        tensor: name,
        model: other.key,
      },
    };
  }
  return cut ? { ok: true, rows } : { ok: true };
}
