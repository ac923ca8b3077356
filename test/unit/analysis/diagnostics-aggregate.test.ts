import { describe, expect, it } from 'vitest';
import { aggregateDiagnostics, metricColor, type DiagnosticsRecord } from '../../../renderer/src/analysis/diagnostics-aggregate.js';
import { hoverText, METRICS } from '../../../renderer/src/analysis/diagnostics-aggregate.js';
import { useDiagnostics } from '../../../renderer/src/analysis/diagnostics-store.js';

function rec(name: string, layer: number | null, group: DiagnosticsRecord['group'], s: Partial<DiagnosticsRecord['stats']>): DiagnosticsRecord {
  return {
    name,
    layer,
    group,
    stats: {
      taskNorms: [1, 1],
      normRatio: 1,
      cosine: 0,
      signConflict: 0,
      normSag: 1,
      mergedNorm: 1,
      nan: 0,
      inf: 0,
      taskNonzero: [10, 10],
      taskKept: null,
      keptFraction: null,
      ...s,
    },
  };
}

describe('diagnostics heatmap rows', () => {
  it('has a row per layer before any event, and the outside-the-stack row first', () => {
    const rows = aggregateDiagnostics([], 3);
    expect(rows.map((r) => r.layer)).toEqual([null, 0, 1, 2]);
    expect(rows.every((r) => r.tensors === 0 && r.cells.cosine.value === null)).toBe(true);
  });

  it('averages each metric over the tensors that define it, sums NaN/Inf, and keeps the extremes', () => {
    const rows = aggregateDiagnostics(
      [
        rec('model.layers.1.self_attn.q_proj.weight', 1, 'attention', { cosine: 0.2, signConflict: 0.1, normRatio: 2, normSag: 0.9 }),
        rec('model.layers.1.mlp.up_proj.weight', 1, 'mlp', { cosine: 0.6, signConflict: 0.3, normRatio: null, normSag: 0.7, nan: 2, inf: 1 }),
        rec('model.embed_tokens.weight', null, 'embedding', { cosine: null }),
      ],
      2,
    );
    const l1 = rows.find((r) => r.layer === 1)!;
    expect(l1.tensors).toBe(2);
    expect(l1.cells.cosine.value).toBeCloseTo(0.4, 12);
    expect(l1.cells.signConflict.value).toBeCloseTo(0.2, 12);
    expect(l1.cells.normRatio).toMatchObject({ value: 2, count: 1 });
    expect(l1.cells.normSag.min).toEqual({ value: 0.7, tensor: 'model.layers.1.mlp.up_proj.weight' });
    expect(l1.cells.nonFinite.value).toBe(3);
    expect([l1.nan, l1.inf]).toEqual([2, 1]);
    const outside = rows[0];
    expect(outside.cells.cosine).toMatchObject({ value: null, count: 0 });
    expect(outside.tensors).toBe(1);
    // Hover text names the value, the count and the extreme tensors.
    const cos = METRICS.find((m) => m.key === 'cosine')!;
    expect(hoverText(l1, cos)).toBe(
      'Layer 1 · Cosine: mean 0.400 over 2 tensors (min 0.200 model.layers.1.self_attn.q_proj.weight; max 0.600 model.layers.1.mlp.up_proj.weight)',
    );
    expect(hoverText(l1, METRICS.find((m) => m.key === 'nonFinite')!)).toBe('Layer 1 · NaN/Inf: 2 NaN, 1 Inf over 2 tensors');
    expect(hoverText(outside, cos)).toBe('Outside the layer stack · Cosine: not defined for these tensors');
  });

  it('pools the kept share over a layer by counts (not a mean of tensor fractions), per model on hover', () => {
    // Tensor 1: model 1 keeps 30 of 100, model 2 30 of 60. Tensor 2: 10 of 300 and 50 of 100. Layer: 40/400 and 80/160, pooled 120/560.
    const rows = aggregateDiagnostics(
      [
        rec('t1', 0, 'mlp', { taskNonzero: [100, 60], taskKept: [30, 30], keptFraction: [0.3, 0.5] }),
        rec('t2', 0, 'mlp', { taskNonzero: [300, 100], taskKept: [10, 50], keptFraction: [10 / 300, 0.5] }),
        rec('t3', 0, 'mlp', { taskNonzero: [5, 5] }),
      ],
      1,
    );
    const l0 = rows[1];
    expect(l0.cells.kept.count).toBe(2);
    expect(l0.cells.kept.value).toBeCloseTo(120 / 560, 12);
    expect(l0.kept).toEqual([40, 80]);
    expect(l0.nonzero).toEqual([400, 160]);
    expect(hoverText(l0, METRICS.find((m) => m.key === 'kept')!)).toBe(
      'Layer 0 · Kept: 21.4% of the non-zero task-vector coordinates survive trimming or dropping (model 1 10.0%, model 2 50.0%) over 2 tensors (min 15.0% t2; max 37.5% t1)',
    );
    expect(rows[0].cells.kept.value).toBeNull();
    // With the merge's input names (as many as models), each share is named; otherwise numbered.
    const named = hoverText(l0, METRICS.find((m) => m.key === 'kept')!, ['Model math', 'Model code']);
    expect(named).toContain('(Model math 10.0%, Model code 50.0%)');
    expect(hoverText(l0, METRICS.find((m) => m.key === 'kept')!, ['only one'])).toContain('(model 1 10.0%, model 2 50.0%)');
  });

  it('filters by tensor group', () => {
    const rows = aggregateDiagnostics(
      [rec('a', 0, 'attention', { cosine: 1 }), rec('b', 0, 'mlp', { cosine: -1 })],
      1,
      'mlp',
    );
    expect(rows[1].cells.cosine.value).toBe(-1);
  });

  it('colours nothing-wrong values white and problems strongly', () => {
    expect(metricColor('nonFinite', 0)).toBe('rgb(255, 255, 255)');
    expect(metricColor('nonFinite', 4)).toBe('rgb(201, 42, 42)');
    expect(metricColor('normSag', 1)).toBe('rgb(255, 255, 255)');
    expect(metricColor('cosine', null)).toBe('transparent');
  });
});

describe('diagnostics store', () => {
  it('keeps events per job, one update per batch, and only the latest jobs', () => {
    const ev = (jobId: string, name: string) => ({
      kind: 'job.event' as const,
      jobId,
      event: { type: 'diagnostics' as const, ...rec(name, 0, 'mlp', {}) },
    });
    const s = useDiagnostics.getState();
    s.ingest([ev('j1', 'a'), ev('j1', 'b'), { kind: 'job.cancelled', jobId: 'j1' }]);
    expect(useDiagnostics.getState().byJob.j1.map((r) => r.name)).toEqual(['a', 'b']);
    for (const j of ['j2', 'j3', 'j4']) s.ingest([ev(j, 'x')]);
    expect(useDiagnostics.getState().order).toEqual(['j2', 'j3', 'j4']);
    expect(useDiagnostics.getState().byJob.j1).toBeUndefined();
  });
});
