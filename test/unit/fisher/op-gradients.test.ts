/**
 * Every operation of the language-model backward pass against central finite differences in
 * float64: for random inputs and a random upstream gradient dy, the analytic gradient of
 * ⟨dy, op(inputs)⟩ with respect to each input element.
 */
import { describe, it } from 'vitest';
import { geluBackward, geluForward, siluGateBackward, siluGateForward } from '../../../electron/engine/fisher/grad/activation-grad.js';
import { attentionBackward, attentionForward } from '../../../electron/engine/fisher/grad/attention-grad.js';
import { crossEntropyWithGrad } from '../../../electron/engine/fisher/grad/cross-entropy-grad.js';
import { linearBackward, linearForward, type LinearShape } from '../../../electron/engine/fisher/grad/linear-grad.js';
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from '../../../electron/engine/fisher/grad/norm-grad.js';
import { ropeBackward, ropeForward } from '../../../electron/engine/fisher/grad/rope-grad.js';
import { ropeTable } from '../../../electron/engine/probe/math/rope.js';
import { makeRng } from '../../helpers/prng.js';
import { dotF64, expectGradients, randomF64 } from './finite-differences.js';

const rng = makeRng(17);

describe('gradients of the backward-pass operations (finite differences, float64)', () => {
  for (const layout of ['out-in', 'in-out'] as const) {
    it(`linear, ${layout}, with bias`, () => {
      const s: LinearShape = { rows: 3, inDim: 4, outDim: 5, layout };
      const [x, w, b, dy] = [randomF64(12, rng), randomF64(20, rng), randomF64(5, rng), randomF64(15, rng)];
      const f = () => {
        const y = new Float64Array(15);
        linearForward(s, x, w, b, y);
        return dotF64(dy, y);
      };
      const [dx, dw, db] = [new Float64Array(12), new Float64Array(20), new Float64Array(5)];
      linearBackward(s, x, w, dy, dx, dw, db);
      expectGradients(f, [x, w, b], [dx, dw, db], `linear ${layout}`);
    });
  }

  it('RMSNorm (input and weight)', () => {
    const [x, w, dy] = [randomF64(12, rng), randomF64(4, rng), randomF64(12, rng)];
    const f = () => {
      const y = new Float64Array(12);
      rmsNormForward(x, 3, 4, w, 1e-5, y);
      return dotF64(dy, y);
    };
    const inv = rmsNormForward(x, 3, 4, w, 1e-5, new Float64Array(12));
    const [dx, dw] = [new Float64Array(12), new Float64Array(4)];
    rmsNormBackward(x, 3, 4, w, inv, dy, dx, dw);
    expectGradients(f, [x, w], [dx, dw], 'rmsnorm');
  });

  it('LayerNorm (input, weight and bias)', () => {
    const [x, w, b, dy] = [randomF64(15, rng), randomF64(5, rng), randomF64(5, rng), randomF64(15, rng)];
    const f = () => {
      const y = new Float64Array(15);
      layerNormForward(x, 3, 5, w, b, 1e-5, y);
      return dotF64(dy, y);
    };
    const c = layerNormForward(x, 3, 5, w, b, 1e-5, new Float64Array(15));
    const [dx, dw, db] = [new Float64Array(15), new Float64Array(5), new Float64Array(5)];
    layerNormBackward(x, 3, 5, w, c, dy, dx, dw, db);
    expectGradients(f, [x, w, b], [dx, dw, db], 'layernorm');
  });

  it('RoPE (rotate-half, 2 heads of 4, 5 positions)', () => {
    const table = ropeTable(Float32Array.from([1, 0.1]), 5);
    const [x, dy] = [randomF64(40, rng), randomF64(40, rng)];
    const f = () => {
      const y = Float64Array.from(x);
      ropeForward(y, 5, 2, table);
      return dotF64(dy, y);
    };
    const dx = Float64Array.from(dy);
    ropeBackward(dx, 5, 2, table);
    expectGradients(f, [x], [dx], 'rope');
  });

  for (const [heads, kvHeads] of [
    [4, 2],
    [2, 2],
    [3, 1],
  ]) {
    it(`causal attention, ${heads} query heads, ${kvHeads} KV heads`, () => {
      const T = 4;
      const D = 3;
      const dims = { rows: T, heads, kvHeads, headDim: D };
      const [q, k, v, dy] = [randomF64(T * heads * D, rng), randomF64(T * kvHeads * D, rng), randomF64(T * kvHeads * D, rng), randomF64(T * heads * D, rng)];
      const f = () => {
        const out = new Float64Array(T * heads * D);
        attentionForward(dims, q, k, v, out);
        return dotF64(dy, out);
      };
      const P = attentionForward(dims, q, k, v, new Float64Array(T * heads * D));
      const [dq, dk, dv] = [new Float64Array(q.length), new Float64Array(k.length), new Float64Array(v.length)];
      attentionBackward(dims, q, k, v, P, dy, dq, dk, dv);
      expectGradients(f, [q, k, v], [dq, dk, dv], 'attention');
    });
  }

  it('SiLU gate (gate and up)', () => {
    const [g, u, dy] = [randomF64(10, rng, 2), randomF64(10, rng), randomF64(10, rng)];
    const f = () => {
      const y = new Float64Array(10);
      siluGateForward(g, u, 10, y);
      return dotF64(dy, y);
    };
    const [dg, du] = [new Float64Array(10), new Float64Array(10)];
    siluGateBackward(g, u, dy, 10, dg, du);
    expectGradients(f, [g, u], [dg, du], 'silu gate');
  });

  it('gelu_new', () => {
    const [z, dy] = [randomF64(10, rng, 2), randomF64(10, rng)];
    const f = () => {
      const y = new Float64Array(10);
      geluForward(z, 10, y);
      return dotF64(dy, y);
    };
    const dz = new Float64Array(10);
    geluBackward(z, dy, 10, dz);
    expectGradients(f, [z], [dz], 'gelu');
  });

  it('cross-entropy of a logits row', () => {
    const logits = randomF64(7, rng, 3);
    const f = () => crossEntropyWithGrad(logits, 0, 7, 4, new Float64Array(7));
    const d = new Float64Array(7);
    crossEntropyWithGrad(logits, 0, 7, 4, d);
    expectGradients(f, [logits], [d], 'cross-entropy');
  });
});
