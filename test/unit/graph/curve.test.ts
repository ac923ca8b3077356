import { describe, expect, it } from 'vitest';
import { gradientAt, layerPosition, resolveParam } from '../../../common/graph/param-resolve.js';
import { rulesToSpec, specToRules } from '../../../common/graph/curve-rules.js';

const at = (anchors: number[], layers: number): number[] => Array.from({ length: layers }, (_, i) => gradientAt(anchors, layerPosition(i, layers)));

describe('per-layer values (spec §1 golden values)', () => {
  it('gradients over 5 layers', () => {
    expect(at([0, 0.5, 0.3, 0.7, 1], 5)).toEqual([0, 0.5, 0.3, 0.7, 1]);
    expect(at([1, 0], 5)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(at([0, 1, 0], 5)).toEqual([0, 0.5, 1, 0.5, 0]);
  });
  it('tensors outside the stack take the first anchor; a one-layer stack takes t = 1', () => {
    expect(layerPosition(null, 8)).toBe(0);
    expect(layerPosition(0, 1)).toBe(1);
    expect(resolveParam([0.2, 0.9], 'lm_head.weight', layerPosition(null, 4))).toBe(0.2);
  });
  it('filters: first match wins, * and absent match everything, no match falls through', () => {
    const spec = [{ filter: 'self_attn', value: [0, 1] }, { filter: 'mlp', value: 0.3 }, { value: 0.5 }];
    expect(resolveParam(spec, 'model.layers.3.self_attn.q_proj.weight', 1)).toBe(1);
    expect(resolveParam(spec, 'model.layers.3.mlp.up_proj.weight', 0.5)).toBe(0.3);
    expect(resolveParam(spec, 'model.norm.weight', 0)).toBe(0.5);
    expect(resolveParam([{ filter: 'mlp', value: 1 }], 'model.norm.weight', 0)).toBeUndefined();
  });
});

describe('curve rules ↔ parameter values', () => {
  it('a scalar and a gradient are one default rule', () => {
    expect(specToRules(0.5, 1)).toEqual([{ filter: '', anchors: [0.5] }]);
    expect(specToRules(undefined, 1)).toEqual([{ filter: '', anchors: [1] }]);
    expect(rulesToSpec([{ filter: '', anchors: [0.2, 0.8] }])).toEqual([0.2, 0.8]);
    expect(rulesToSpec([{ filter: '', anchors: [0.4] }])).toBe(0.4);
  });
  it('filtered rules keep their order and end with the default', () => {
    const spec = [{ filter: 'self_attn', value: [0, 0.5, 1] }, { filter: 'mlp', value: 0.7 }];
    const rules = specToRules(spec, 0.5);
    expect(rules).toEqual([
      { filter: 'self_attn', anchors: [0, 0.5, 1] },
      { filter: 'mlp', anchors: [0.7] },
      { filter: '', anchors: [0.5] },
    ]);
    expect(rulesToSpec(rules)).toEqual([{ filter: 'self_attn', value: [0, 0.5, 1] }, { filter: 'mlp', value: 0.7 }, { value: 0.5 }]);
  });
});
