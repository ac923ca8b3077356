/** Activations and their derivatives: Llama's SiLU gate and GPT-2's gelu_new (tanh approximation). */
import type { Vec } from './vec.js';

/** y = silu(g) ⊙ u. */
export function siluGateForward(g: Vec, u: Vec, n: number, y: Vec): void {
  for (let i = 0; i < n; i++) y[i] = (g[i] / (1 + Math.exp(-g[i]))) * u[i];
}

/** dg += dy·u·σ(g)(1 + g(1 − σ(g))); du += dy·silu(g). */
export function siluGateBackward(g: Vec, u: Vec, dy: Vec, n: number, dg: Vec, du: Vec): void {
  for (let i = 0; i < n; i++) {
    const s = 1 / (1 + Math.exp(-g[i]));
    dg[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s));
    du[i] += dy[i] * g[i] * s;
  }
}

const K = Math.sqrt(2 / Math.PI);
const A = 0.044715;

/** y = 0.5·z·(1 + tanh(k(z + a z³))). */
export function geluForward(z: Vec, n: number, y: Vec): void {
  for (let i = 0; i < n; i++) y[i] = 0.5 * z[i] * (1 + Math.tanh(K * (z[i] + A * z[i] ** 3)));
}

/** dz += dy·(0.5(1 + t) + 0.5·z·(1 − t²)·k·(1 + 3a z²)). */
export function geluBackward(z: Vec, dy: Vec, n: number, dz: Vec): void {
  for (let i = 0; i < n; i++) {
    const x = z[i];
    const t = Math.tanh(K * (x + A * x ** 3));
    dz[i] += dy[i] * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * A * x * x));
  }
}
