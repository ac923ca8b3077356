/** Plain SGD (with optional momentum) and Adam, updating MLP parameters in place. */
import type { Gradients } from './mlp-backprop.js';
import type { MlpParams } from './mlp-params.js';

export interface Optimizer {
  step(p: MlpParams, g: Gradients): void;
}

export interface SgdOptions {
  lr: number;
  momentum?: number;
}

export function sgd({ lr, momentum = 0 }: SgdOptions): Optimizer {
  let vel: Float64Array[] | undefined;
  return {
    step(p, g) {
      const grads = [...g.weights, ...g.biases];
      const params = [...p.weights, ...p.biases];
      vel ??= grads.map((x) => new Float64Array(x.length));
      params.forEach((w, t) => {
        const v = vel![t];
        const d = grads[t];
        for (let i = 0; i < w.length; i++) {
          v[i] = momentum * v[i] + d[i];
          w[i] -= lr * v[i];
        }
      });
    },
  };
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/** Kingma & Ba's Adam with bias correction. */
export function adam({ lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdamOptions): Optimizer {
  let m: Float64Array[] | undefined;
  let v: Float64Array[] | undefined;
  let t = 0;
  return {
    step(p, g) {
      const grads = [...g.weights, ...g.biases];
      const params = [...p.weights, ...p.biases];
      m ??= grads.map((x) => new Float64Array(x.length));
      v ??= grads.map((x) => new Float64Array(x.length));
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      params.forEach((w, k) => {
        const mk = m![k];
        const vk = v![k];
        const d = grads[k];
        for (let i = 0; i < w.length; i++) {
          mk[i] = beta1 * mk[i] + (1 - beta1) * d[i];
          vk[i] = beta2 * vk[i] + (1 - beta2) * d[i] * d[i];
          w[i] -= (lr * (mk[i] / c1)) / (Math.sqrt(vk[i] / c2) + eps);
        }
      });
    },
  };
}
