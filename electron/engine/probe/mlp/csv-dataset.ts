/**
 * A classification data set from CSV text: one sample per line, the features then an integer
 * class label in the last column. A first line that is not numeric is taken as a header.
 */
import { InputError } from '../../io/types.js';

export interface Dataset {
  /** [n, dims] row-major. */
  features: Float32Array;
  labels: Int32Array;
  n: number;
  dims: number;
}

export function parseCsvDataset(text: string, file: string): Dataset {
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  let dims = -1;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((c) => c.trim());
    const values = cells.map(Number);
    if (values.some((v, k) => cells[k] === '' || !Number.isFinite(v))) {
      if (rows.length === 0 && dims < 0) {
        dims = cells.length - 1; // a header
        return;
      }
      throw new InputError(`${file}: line ${i + 1} has a value that is not a finite number`, file);
    }
    if (dims < 0) dims = cells.length - 1;
    if (cells.length - 1 !== dims) throw new InputError(`${file}: line ${i + 1} has ${cells.length} columns, expected ${dims + 1}`, file);
    const label = values[values.length - 1];
    if (!Number.isSafeInteger(label) || label < 0) throw new InputError(`${file}: line ${i + 1}: the label ${label} is not a non-negative integer`, file);
    rows.push(values);
  });
  if (rows.length === 0) throw new InputError(`${file}: no samples`, file);
  if (dims < 1) throw new InputError(`${file}: samples need at least one feature and a label`, file);
  const features = new Float32Array(rows.length * dims);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    for (let k = 0; k < dims; k++) features[i * dims + k] = r[k];
    labels[i] = r[dims];
  });
  return { features, labels, n: rows.length, dims };
}

/** The data set as CSV text (features then label), the inverse of parseCsvDataset. */
export function datasetToCsv(d: Dataset): string {
  const out: string[] = [];
  for (let i = 0; i < d.n; i++) out.push([...d.features.subarray(i * d.dims, (i + 1) * d.dims), d.labels[i]].join(','));
  return out.join('\n') + '\n';
}
