/**
 * `crucible diff A B [MORE...] [--base C] [--density D] [--json]`: per-tensor and per-layer
 * weight-space metrics, the same as the app's live diagnostics (diff.ts says what each means).
 */
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
    models: r.models,
    norms: r.norms,
    taskNorms: r.taskNorms,
    normRatio: r.normRatio,
    averageNorm: r.averageNorm,
    normSag: r.normSag,
    taskNonzero: r.taskNonzero,
    taskKept: r.taskKept,
    keptFraction: r.keptFraction,
    nan: r.nan,
    inf: r.inf,
  };
}

function percents(v: (number | null)[] | null): string {
  return v === null ? '—' : v.map((x) => (x === null ? '—' : (100 * x).toFixed(1))).join('/') + '%';
}

function fmt(v: number | null): string {
  return v === null ? '—' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}

export async function diffCommand(paths: string[], base: string | undefined, density: number | undefined, r: Reporter): Promise<void> {
  const models = [];
  for (const p of paths) models.push(await openCheckpoint(resolve(p)));
  const C = base ? await openCheckpoint(resolve(base)) : undefined;
  const result = diffCheckpoints(models, C, { density });
  for (const w of result.warnings) r.warn(w);
  if (r.json) {
    process.stdout.write(JSON.stringify({ tensors: result.tensors.map(publicRow), layers: result.layers.map(publicRow) }) + '\n');
    return;
  }
  const width = Math.max(6, ...result.tensors.map((t) => t.name.length));
  const many = paths.length > 2;
  const keptWidth = Math.max(8, 6 * paths.length + 1);
  // With more than two models: maxAbs and relL2 compare the first two (said in their headers), cosine
  // is the mean pairwise one, the norm ratio is largest over smallest.
  const header =
    `${'tensor'.padEnd(width)}  ${(many ? 'maxAbs(AB)' : 'maxAbs').padStart(10)}  ${(many ? 'relL2(AB)' : 'relL2').padStart(10)}  ${(many ? 'meanCos' : 'cosine').padStart(10)}  ${'signConfl'.padStart(10)}  ` +
    (many ? `${'max/min|τ|'.padStart(10)}  ` : `${'|τA|'.padStart(10)}  ${'|τB|'.padStart(10)}  ${'|τB|/|τA|'.padStart(10)}  `) +
    `${'normSag'.padStart(10)}  ${(density === undefined ? 'kept' : `kept@${density}`).padStart(keptWidth)}  ${'NaN/Inf'.padStart(8)}`;
  const line = (x: DiffRow) =>
    `${x.name.padEnd(width)}  ${fmt(x.maxAbs).padStart(10)}  ${fmt(x.relL2).padStart(10)}  ${fmt(x.cosine).padStart(10)}  ${fmt(x.signConflict).padStart(10)}  ` +
    (many ? `${fmt(x.normRatio).padStart(10)}  ` : `${fmt(x.taskNormA).padStart(10)}  ${fmt(x.taskNormB).padStart(10)}  ${fmt(x.taskNormRatio).padStart(10)}  `) +
    `${fmt(x.normSag).padStart(10)}  ${percents(x.keptFraction).padStart(keptWidth)}  ${String([...x.nan, ...x.inf].reduce((a, v) => a + v, x.nanBase + x.infBase)).padStart(8)}`;
  r.info(header);
  for (const t of result.tensors) r.info(line(t));
  // Models without numbered layers (or no tensor in one) have no layer table.
  if (result.layers.length === 0) return;
  r.info('');
  r.info(header.replace('tensor', 'layer '));
  for (const l of result.layers) r.info(line(l));
}
