/** Parameter resolution across layers (spec §1) against the spec's golden values and hand computation. */
import { describe, expect, it } from 'vitest';
import { gradientAt, layerPosition, resolveFirst, resolveParam } from '../../../electron/engine/recipe/resolve-param.js';

const overLayers = (anchors: number[], layers: number) =>
  Array.from({ length: layers }, (_, i) => resolveParam(anchors, 'model.layers.0.mlp.up_proj.weight', layerPosition(i, layers)));

describe('gradients (spec §5 goldens)', () => {
  it('[0, .5, .3, .7, 1] over 5 layers', () => {
    expect(overLayers([0, 0.5, 0.3, 0.7, 1], 5)).toEqual([0, 0.5, 0.3, 0.7, 1]);
  });
  it('[1, 0] over 5 layers', () => {
    expect(overLayers([1, 0], 5)).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });
  it('[0, 1, 0] over 5 layers', () => {
    expect(overLayers([0, 1, 0], 5)).toEqual([0, 0.5, 1, 0.5, 0]);
  });
  it('between anchors: [0, 1] at t = 0.3 is 0.3; [2, 4, 8] at t = 0.75 is 6', () => {
    expect(gradientAt([0, 1], 0.3)).toBeCloseTo(0.3, 15);
    expect(gradientAt([2, 4, 8], 0.75)).toBe(6);
  });
  it('one anchor is constant; t = 1 gives the last anchor', () => {
    expect(gradientAt([0.7], 0)).toBe(0.7);
    expect(gradientAt([0.7], 1)).toBe(0.7);
    expect(gradientAt([3, 5, 9], 1)).toBe(9);
  });
});

describe('layer positions', () => {
  it('t = i/(L−1); a one-layer slice gets t = 1', () => {
    expect([0, 1, 2, 3].map((i) => layerPosition(i, 4))).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(layerPosition(0, 1)).toBe(1);
  });
});

describe('conditionals', () => {
  const t = [
    { filter: 'self_attn', value: [0, 1] },
    { filter: 'mlp', value: 0.25 },
    { value: 0.5 },
  ];
  it('the first matching filter wins, its gradient evaluated at t', () => {
    expect(resolveParam(t, 'model.layers.3.self_attn.q_proj.weight', 0.5)).toBe(0.5);
    expect(resolveParam(t, 'model.layers.3.self_attn.q_proj.weight', 1)).toBe(1);
    expect(resolveParam(t, 'model.layers.3.mlp.up_proj.weight', 0.5)).toBe(0.25);
    expect(resolveParam(t, 'model.norm.weight', 0)).toBe(0.5);
  });
  it('list order decides, not specificity', () => {
    const spec = [
      { filter: 'layers', value: 1 },
      { filter: 'self_attn', value: 2 },
    ];
    expect(resolveParam(spec, 'model.layers.0.self_attn.k_proj.weight', 0)).toBe(1);
  });
  it("'*' matches everything; no match gives undefined", () => {
    expect(resolveParam([{ filter: '*', value: 3 }], 'anything', 0)).toBe(3);
    expect(resolveParam([{ filter: 'mlp', value: 3 }], 'model.norm.weight', 0)).toBeUndefined();
  });
  it('filters are plain substrings, not patterns', () => {
    expect(resolveParam([{ filter: 'layers.1.', value: 1 }], 'model.layers.11.mlp.w', 0)).toBeUndefined();
    expect(resolveParam([{ filter: 'layers.1', value: 1 }], 'model.layers.11.mlp.w', 0)).toBe(1);
  });
  it('scalars of any kind are returned as they are', () => {
    expect(resolveParam(true, 'x', 0.3)).toBe(true);
    expect(resolveParam('l1', 'x', 0.3)).toBe('l1');
    expect(resolveParam(0.4, 'x', 0.3)).toBe(0.4);
  });
});

describe('precedence', () => {
  it('the first level with a value wins; an unmatched conditional falls through', () => {
    const model = [{ filter: 'mlp', value: 0.9 }];
    const slice = undefined;
    const global = 0.1;
    expect(resolveFirst([model, slice, global], 'model.layers.0.mlp.up_proj.weight', 0)).toBe(0.9);
    expect(resolveFirst([model, slice, global], 'model.layers.0.self_attn.q_proj.weight', 0)).toBe(0.1);
    expect(resolveFirst([undefined, [1, 0], global], 'x', 0.5)).toBe(0.5);
    expect(resolveFirst([undefined, undefined, undefined], 'x', 0.5)).toBeUndefined();
  });
});
