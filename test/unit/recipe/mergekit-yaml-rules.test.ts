/** Import rules on small hand-written recipes. */
import { describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { RecipeError } from '../../../electron/engine/recipe/recipe-error.js';

const parse = (text: string) => parseMergekitYaml(text, 'r.yaml');

function errorOf(text: string): RecipeError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof RecipeError) return e;
    throw e;
  }
  throw new Error('imported without an error');
}

describe('fatal problems', () => {
  it('a syntax error names line and column', () => {
    const e = errorOf('merge_method: linear\nmodels: [a, b\n');
    expect(e.file).toBe('r.yaml');
    expect(e.line).toBeGreaterThan(0);
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/^r\.yaml:\d+:\d+: not valid YAML/);
  });

  it('a duplicate key is an error at its second occurrence', () => {
    const e = errorOf('merge_method: linear\nmodels: [a]\ndtype: float16\ndtype: bfloat16\n');
    expect(e.line).toBe(4);
    expect(e.reason).toMatch(/duplicate key 'dtype'/);
  });

  it('a document that is not a mapping', () => {
    expect(errorOf('- model: a\n- model: b\n').reason).toMatch(/must be a mapping/);
    expect(errorOf('just some prose\n').reason).toMatch(/must be a mapping/);
  });

  it('no merge_method', () => {
    expect(errorOf('models:\n  - model: a\n').reason).toMatch(/no 'merge_method'/);
  });

  it('an unknown method, with the nearest name', () => {
    const e = errorOf('merge_method: slerpp\nmodels: [a, b]\n');
    expect(e.reason).toBe("unknown merge method 'slerpp' (did you mean 'slerp'?)");
    expect(e.line).toBe(1);
    expect(e.column).toBe(15);
  });

  it('ram and ramplus_tl are not supported yet', () => {
    expect(errorOf('merge_method: ram\nmodels: [a, b]\n').reason).toMatch(/not supported yet/);
    expect(errorOf('merge_method: ramplus_tl\nmodels: [a, b]\n').reason).toMatch(/not supported yet/);
  });

  it('a mergekit-moe config, whatever its other keys', () => {
    expect(errorOf('merge_method: linear\ngate_mode: hidden\nmodels: [a]\n').reason).toBe(
      'a mergekit-moe config, not a merge recipe: not supported',
    );
  });

  it('neither models nor slices, or both', () => {
    expect(errorOf('merge_method: linear\ndtype: float16\n').reason).toMatch(/neither 'models:' nor 'slices:'/);
    const both = 'merge_method: linear\nmodels: [a]\nslices:\n  - sources:\n      - model: a\n        layer_range: [0, 2]\n';
    expect(errorOf(both).reason).toMatch(/not both/);
  });

  it('a slice source without layer_range, and an empty layer range', () => {
    expect(errorOf('merge_method: passthrough\nslices:\n  - sources:\n      - model: a\n').reason).toMatch(/no 'layer_range/);
    const empty = errorOf('merge_method: passthrough\nslices:\n  - sources:\n      - model: a\n        layer_range: [4, 4]\n');
    expect(empty.reason).toMatch(/is empty/);
    expect(empty.line).toBe(5);
  });

  it('a model reference with two "+"', () => {
    expect(errorOf('merge_method: linear\nmodels:\n  - model: a+b+c\n').reason).toMatch(/more than one '\+'/);
  });

  it('a list mixing numbers and words', () => {
    const e = errorOf('merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: [1, x]\n');
    expect(e.line).toBe(5);
  });

  it('tokenizer_source and tokenizer.source together', () => {
    expect(errorOf('merge_method: linear\nmodels: [a]\ntokenizer_source: base\ntokenizer:\n  source: union\n').reason).toMatch(/both/);
  });
});

describe('warnings', () => {
  it("'dype' warns with the line and suggests dtype; the recipe keeps no dtype", () => {
    const r = parse('merge_method: linear\nmodels: [a, b]\ndype: float16\n');
    expect(r.recipes[0].dtype).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ key: 'dype', suggestion: 'dtype', line: 3, column: 1 });
  });

  it('an unknown key far from any known one gets no suggestion', () => {
    const r = parse('merge_method: linear\nmodels: [a]\nzzzzzzzzzzzz: 1\n');
    expect(r.warnings[0].suggestion).toBeUndefined();
  });

  it('a parameter the method does not have, with the nearest one', () => {
    const r = parse('merge_method: ties\nbase_model: b\nmodels:\n  - model: a\n    parameters:\n      wieght: 1\n');
    expect(r.warnings[0]).toMatchObject({ key: 'wieght', suggestion: 'weight', line: 6 });
    expect(r.recipes[0].models?.[0].parameters).toEqual({ wieght: 1 });
  });

  it("a global parameter in a model's entry is flagged (mergekit ignores it there)", () => {
    const r = parse('merge_method: ties\nbase_model: b\nmodels:\n  - model: a\n    parameters:\n      weight: 1\n      lambda: 2\n');
    expect(r.warnings.map((w) => w.key)).toEqual(['lambda']);
    expect(r.warnings[0].message).toMatch(/global parameter/);
  });

  it('per-model parameters are accepted in the global block (they apply to every model)', () => {
    const r = parse('merge_method: ties\nbase_model: b\nmodels: [a]\nparameters:\n  density: 0.5\n  weight: 1\n');
    expect(r.warnings).toEqual([]);
    expect(r.recipes[0].parameters).toEqual({ density: 0.5, weight: 1 });
  });

  it("empty parameters blocks, in a model entry and at the top", () => {
    const r = parse('merge_method: linear\nmodels:\n  - model: a\n    parameters:\nparameters: {}\n');
    expect(r.warnings.map((w) => [w.key, w.line])).toEqual([
      ['parameters', 4],
      ['parameters', 5],
    ]);
  });

  it('an unknown key in a model entry', () => {
    const r = parse('merge_method: linear\nmodels:\n  - model: a\n    paramters:\n      weight: 1\n');
    expect(r.warnings[0]).toMatchObject({ key: 'paramters', suggestion: 'parameters', line: 4 });
  });
});

describe('what is read', () => {
  it('plain string list items, seed, names of keys as mergekit spells them', () => {
    const r = parse('merge_method: linear\nmodels:\n  - a\n  - org/b\nrandom_seed: 42\nout_dtype: bf16\nchat_template: chatml\n').recipes[0];
    expect(r.models).toEqual([{ model: 'a' }, { model: 'org/b' }]);
    expect(r.seed).toBe(42);
    expect(r.outDtype).toBe('bf16');
    expect(r.chatTemplate).toBe('chatml');
  });

  it('a seed outside 32 bits is refused', () => {
    expect(() => parse('merge_method: linear\nmodels: [a]\nseed: 4294967296\n')).toThrow(RecipeError);
  });

  it('an explicit rescale_norm is kept for DARE', () => {
    const r = parse('merge_method: dare_ties\nbase_model: b\nmodels: [a]\nparameters:\n  rescale_norm: inverse\n');
    expect(r.recipes[0].parameters?.rescale_norm).toBe('inverse');
  });

  it('slice and source parameters', () => {
    const r = parse(
      'merge_method: linear\nslices:\n  - sources:\n      - model: a\n        layer_range: [0, 2]\n        parameters:\n          weight: 0\n    parameters:\n      weight: [1, 0]\n',
    ).recipes[0];
    expect(r.slices?.[0]).toEqual({ sources: [{ model: 'a', layerRange: [0, 2], parameters: { weight: 0 } }], parameters: { weight: [1, 0] } });
  });

  it("a filter '*' and a filter-less entry are kept as written", () => {
    const r = parse('merge_method: slerp\nbase_model: a\nmodels: [a, b]\nparameters:\n  t:\n    - filter: "*"\n      value: 0.2\n    - value: [0, 1]\n');
    expect(r.recipes[0].parameters?.t).toEqual([{ filter: '*', value: 0.2 }, { value: [0, 1] }]);
  });

  it('several documents: stages in order, an unnamed non-final stage is warned about', () => {
    const r = parse('merge_method: linear\nmodels: [a, b]\n---\nmerge_method: linear\nmodels: [c, d]\n');
    expect(r.recipes).toHaveLength(2);
    expect(r.warnings.some((w) => /no 'name:'/.test(w.message))).toBe(true);
  });
});
