/**
 * The instrument of spec §5 as a probe program: one stage reads tensor "theta" and the loss is
 * min over bowl centres c of ‖θ − c‖² (one centre: a shared basin; two: two basins).
 */
import type { ProbeProgram } from '../../../electron/engine/probe/stream/program.js';

export function quadraticProgram(centres: number[][]): ProbeProgram<{ loss: number }> {
  return {
    stages: [{ label: 'theta', layer: null, tensors: [{ name: 'theta' }] }],
    init: () => ({ loss: Number.NaN }),
    run: async (_i, w) => {
      const theta = w.get('theta');
      const loss = Math.min(...centres.map((c) => c.reduce((s, ci, k) => s + (theta[k] - ci) ** 2, 0)));
      return { loss };
    },
    totals: (s) => [{ nats: s.loss, count: 1 }],
  };
}
