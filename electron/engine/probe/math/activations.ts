/** Elementwise activations (float64 math, float32 storage). */

/** x ← silu(g) ⊙ u, the gated MLP of Llama-family models (silu(z) = z·sigmoid(z)). */
export function siluGate(gate: Float32Array, up: Float32Array, n: number, dst: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i];
    dst[i] = Math.fround(g / (1 + Math.exp(-g))) * up[i];
  }
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GPT-2's gelu_new (the tanh approximation, not erf), in place. */
export function geluTanh(x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const z = x[i];
    x[i] = 0.5 * z * (1 + Math.tanh(SQRT_2_OVER_PI * (z + 0.044715 * z * z * z)));
  }
}

/** max(0, x), in place. */
export function relu(x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) if (!(x[i] > 0)) x[i] = 0;
}
