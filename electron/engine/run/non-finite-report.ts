/**
 * The warnings a merge gives when its output holds NaN or ±Inf (counted as written: after rounding
 * to the output dtype, so a float32 result beyond ±65504 written as float16 is an Inf). One warning
 * per such tensor as it is finished, for the first MAX_NAMED_TENSORS of them (a model full of NaN
 * would otherwise print a line per tensor, thousands of them), then one summary at the end of the
 * run with the totals, which names how many tensors were left unnamed.
 */
import type { Dtype } from '../io/dtype.js';

export const MAX_NAMED_TENSORS = 10;

export interface NonFiniteCount {
  nan: number;
  inf: number;
}

const verb = (n: number) => (n === 1 ? 'is' : 'are');

/**
 * `tensor NAME: 3 of 1048576 values written are Inf (float16 overflows beyond ±65504) and 2 are NaN`
 * (either part alone when the other count is 0). The note on float16 says where such an Inf comes from.
 */
export function tensorMessage(name: string, dtype: Dtype, numel: number, c: NonFiniteCount): string {
  const items: { n: number; what: string }[] = [];
  if (c.inf > 0) items.push({ n: c.inf, what: `Inf${dtype === 'F16' ? ' (float16 overflows beyond ±65504)' : ''}` });
  if (c.nan > 0) items.push({ n: c.nan, what: 'NaN' });
  const [a, b] = items;
  return `tensor ${name}: ${a.n} of ${numel} values written ${verb(a.n)} ${a.what}${b ? ` and ${b.n} ${verb(b.n)} ${b.what}` : ''}`;
}

export class NonFiniteReport {
  private tensors = 0;
  private nan = 0;
  private inf = 0;
  private halfInf = false;

  constructor(
    /** Tensors the output has, for the summary. */
    private readonly tensorsTotal: number,
    private readonly maxNamed = MAX_NAMED_TENSORS,
  ) {}

  /** A finished tensor's counts: the warning to give for it now, if any. */
  tensor(name: string, dtype: Dtype, numel: number, c: NonFiniteCount): string | undefined {
    if (c.nan === 0 && c.inf === 0) return undefined;
    this.tensors++;
    this.nan += c.nan;
    this.inf += c.inf;
    if (dtype === 'F16' && c.inf > 0) this.halfInf = true;
    return this.tensors <= this.maxNamed ? tensorMessage(name, dtype, numel, c) : undefined;
  }

  /** The line for the end of the run, when some tensor held NaN or Inf. */
  summary(): string | undefined {
    if (this.tensors === 0) return undefined;
    const counts = [this.inf > 0 ? `${this.inf} Inf` : '', this.nan > 0 ? `${this.nan} NaN` : ''].filter(Boolean).join(' and ');
    const unnamed = this.tensors - this.maxNamed;
    return [
      `${this.tensors} of ${this.tensorsTotal} tensors written ${this.tensors === 1 ? 'holds' : 'hold'} NaN or Inf values (${counts} in all): the model is likely broken`,
      ...(unnamed > 0 ? [`${unnamed} of those tensors ${verb(unnamed)} not named above`] : []),
      ...(this.halfInf ? ['float16 holds at most ±65504: out_dtype bfloat16 or float32 keeps larger values finite'] : []),
    ].join('; ');
  }
}
