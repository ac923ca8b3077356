/** `crucible diff A B [--base C] [--json]`: per-tensor and per-layer weight-space metrics. */
import { resolve } from 'node:path';
import { diffCheckpoints, type DiffRow } from '../../engine/diagnostics/diff.js';
import { openCheckpoint } from '../../engine/io/checkpoint.js';
import type { Reporter } from '../output.js';

function publicRow(r: DiffRow) {
  return {
    name: r.name,
    layer: r.layer,
    maxAbs: r.maxAbs,
    relL2: r.relL2,
    cosine: r.cosine,
    signConflict: r.signConflict,
    normA: r.normA,
    normB: r.normB,
    taskNormA: r.taskNormA,
    taskNormB: r.taskNormB,
    taskNormRatio: r.taskNormRatio,
    nanA: r.nanA,
    infA: r.infA,
    nanB: r.nanB,
    infB: r.infB,
    nanBase: r.nanBase,
    infBase: r.infBase,
  };
}

function fmt(v: number | null): string {
  return v === null ? '—' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}

export async function diffCommand(a: string, b: string, base: string | undefined, r: Reporter): Promise<void> {
  const A = await openCheckpoint(resolve(a));
  const B = await openCheckpoint(resolve(b));
  const C = base ? await openCheckpoint(resolve(base)) : undefined;
  const result = diffCheckpoints(A, B, C);
  for (const w of result.warnings) r.warn(w);
  if (r.json) {
    process.stdout.write(JSON.stringify({ tensors: result.tensors.map(publicRow), layers: result.layers.map(publicRow) }) + '\n');
    return;
  }
  const width = Math.max(6, ...result.tensors.map((t) => t.name.length));
  const header = `${'tensor'.padEnd(width)}  ${'maxAbs'.padStart(10)}  ${'relL2'.padStart(10)}  ${'cosine'.padStart(10)}  ${'signConfl'.padStart(10)}  ${'|τA|'.padStart(10)}  ${'|τB|'.padStart(10)}  ${'|τB|/|τA|'.padStart(10)}  ${'NaN/Inf'.padStart(8)}`;
  const line = (x: DiffRow) =>
    `${x.name.padEnd(width)}  ${fmt(x.maxAbs).padStart(10)}  ${fmt(x.relL2).padStart(10)}  ${fmt(x.cosine).padStart(10)}  ${fmt(x.signConflict).padStart(10)}  ${fmt(x.taskNormA).padStart(10)}  ${fmt(x.taskNormB).padStart(10)}  ${fmt(x.taskNormRatio).padStart(10)}  ${String(x.nanA + x.infA + x.nanB + x.infB + x.nanBase + x.infBase).padStart(8)}`;
  r.info(header);
  for (const t of result.tensors) r.info(line(t));
  r.info('');
  r.info(header.replace('tensor', 'layer '));
  for (const l of result.layers) r.info(line(l));
}
