/** Applying a 0/1 keep mask: dropped entries become +0 (as the backend's randomMask does). */
export function applyKeep(x: Float32Array, keep: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) if (keep[i] === 0) x[i] = 0;
}
