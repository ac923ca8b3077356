/**
 * The MLP classifier as a staged probe program (one stage per layer), so K interpolated or merged
 * classifiers are evaluated streaming like language models. Loss: mean cross-entropy per data set.
 */
import { InputError } from '../../io/types.js';
import { crossEntropyRow } from '../math/cross-entropy.js';
import { relu } from '../math/activations.js';
import { TS_MATMUL, type MatmulBackend } from '../math/matmul.js';
import type { LossTotal, ProbeProgram, StageSpec } from '../stream/program.js';
import type { Dataset } from './csv-dataset.js';
import type { MlpSpec } from './mlp-spec.js';

interface MlpState {
  acts: Float32Array | null;
  totals: LossTotal[];
}

export function mlpProgram(spec: MlpSpec, datasets: readonly Dataset[], names: readonly string[], mm: MatmulBackend = TS_MATMUL): ProbeProgram<MlpState> {
  datasets.forEach((d, i) => {
    if (d.dims !== spec.inputs) throw new InputError(`${names[i]}: ${d.dims} features per sample, the model takes ${spec.inputs}`, names[i]);
    for (const label of d.labels) {
      if (label >= spec.classes) throw new InputError(`${names[i]}: label ${label} is outside the model's ${spec.classes} classes`, names[i]);
    }
  });
  const n = datasets.reduce((s, d) => s + d.n, 0);
  const x = new Float32Array(n * spec.inputs);
  const labels = new Int32Array(n);
  const owner = new Int32Array(n);
  let at = 0;
  datasets.forEach((d, i) => {
    x.set(d.features, at * spec.inputs);
    labels.set(d.labels, at);
    owner.fill(i, at, at + d.n);
    at += d.n;
  });
  const stages: StageSpec[] = spec.layers.map((l, i) => ({
    label: `layer ${i}`,
    layer: i,
    tensors: [{ name: l.weight }, ...(l.bias ? [{ name: l.bias }] : [])],
  }));
  // Besides the weights: each variant's activations (the widest layer's), the shared inputs, and the
  // matrix product's copies of its largest operands.
  const widest = Math.max(...spec.layers.map((l) => l.outDim));
  const largestProduct = Math.max(...spec.layers.map((l) => l.outDim * l.inDim + n * (l.inDim + l.outDim)));
  const memory = { perVariantBytes: n * widest * 4, workingBytes: (x.length + largestProduct) * 4 };
  return {
    stages,
    memory,
    init: () => ({ acts: x, totals: datasets.map(() => ({ nats: 0, count: 0 })) }),
    run: async (index, w, state) => {
      const l = spec.layers[index];
      const y = new Float32Array(n * l.outDim);
      await mm.linear({ x: state.acts!, rows: n, w: w.get(l.weight), outDim: l.outDim, inDim: l.inDim, bias: l.bias ? w.get(l.bias) : undefined, y });
      if (index < spec.layers.length - 1) {
        relu(y, y.length);
        return { acts: y, totals: state.totals };
      }
      const totals = datasets.map(() => ({ nats: 0, count: 0 }));
      for (let i = 0; i < n; i++) {
        totals[owner[i]].nats += crossEntropyRow(y, i * l.outDim, l.outDim, labels[i]);
        totals[owner[i]].count++;
      }
      return { acts: null, totals };
    },
    totals: (s) => s.totals,
  };
}
