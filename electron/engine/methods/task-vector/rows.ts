/** Row structure for per-row sparsifiers: rows are the last dimension; a 1-D (or 0-D) tensor is one row. */

export function rowLength(shape: readonly number[], numel: number): number {
  return shape.length >= 2 ? shape[shape.length - 1] : numel;
}

/**
 * Elements per processing unit: whole rows, as many as fit in one chunk (at least one row; a row
 * longer than a chunk is read in several reads).
 */
export function rowUnit(length: number, chunk: number): number {
  return Math.max(1, Math.floor(chunk / length)) * length;
}
