/** Row views of a tensor for the row-wise modes: rows are the last dimension (a 1-D tensor is one row). */

/** Length of one row along the last dimension: shape[last], or numel for a scalar (shape []). */
export function lastDimLength(shape: readonly number[], numel: number): number {
  if (shape.length === 0 || numel === 0) return Math.max(numel, 1);
  const cols = shape[shape.length - 1];
  if (cols <= 0 || numel % cols !== 0) {
    throw new Error(`shape [${shape.join(', ')}] does not match the tensor's ${numel} elements`);
  }
  return cols;
}
