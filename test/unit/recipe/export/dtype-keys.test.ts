/**
 * mergekit's `dtype` (what it loads and merges in) and `out_dtype` (a cast of the result, default
 * dtype) through recipe → graph → YAML: each key comes back as the recipe wrote it (recipes 014 and
 * 015 give both), a graph made in the editor writes its Output's dtype as out_dtype, and importing
 * a half-precision dtype says once that Crucible computes in float32. A mergekit-multi chain's
 * earlier stages keep their keys the same way.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileOutput } from '../../../../common/graph/compile.js';
import { recipeToProject } from '../../../../common/graph/recipe-to-project.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';
import { recipeOutputDtype } from '../../../../electron/engine/plan/output-dtype.js';
import { recipesAsProject } from '../../../../electron/engine/recipe/recipes-as-project.js';
import { edge, graph, merge, model, output } from '../../graph/build.js';

const MODELS = 'merge_method: ties\nbase_model: b\nmodels:\n  - model: x\n    parameters:\n      weight: 1\n';

/** The YAML's import as a graph, exported again: the keys of the written document. */
function roundTrip(text: string): { doc: Record<string, unknown>; output: Record<string, unknown> } {
  const [recipe] = parseMergekitYaml(text, 'r.yaml').recipes;
  const laid = recipeToProject(recipe, { name: 'r', outFolder: '/out' });
  if (!laid.ok) throw new Error(laid.reason);
  const c = compileOutput(laid.project, 'output-1');
  if (!c.ok) throw new Error(c.reason);
  const out = laid.project.nodes.find((n) => n.id === 'output-1')!.data as unknown as Record<string, unknown>;
  return { doc: parse(exportMergekitYaml([c.job.recipe]).text) as Record<string, unknown>, output: out };
}

describe('dtype and out_dtype through the graph', () => {
  it('both given (014: dtype float32, out_dtype bfloat16): both written back, each as it was', () => {
    const { doc, output } = roundTrip(`${MODELS}dtype: float32\nout_dtype: bfloat16\n`);
    expect(doc.dtype).toBe('float32');
    expect(doc.out_dtype).toBe('bfloat16');
    // The Output writes bfloat16 (out_dtype) and keeps the recipe's dtype key.
    expect(output.dtype).toBe('bfloat16');
    expect(output.recipeDtype).toBe('float32');
  });

  it('dtype alone is written back as dtype, not rewritten as out_dtype', () => {
    const { doc } = roundTrip(`${MODELS}dtype: bfloat16\n`);
    expect(doc.dtype).toBe('bfloat16');
    expect(doc).not.toHaveProperty('out_dtype');
  });

  it('Output changed to "as the base model" after import: neither key is written, so the output follows the base', () => {
    for (const text of [`${MODELS}dtype: bfloat16\n`, `${MODELS}dtype: float32\nout_dtype: bfloat16\n`]) {
      const [recipe] = parseMergekitYaml(text, 'r.yaml').recipes;
      const laid = recipeToProject(recipe, { name: 'r', outFolder: '/out' });
      if (!laid.ok) throw new Error(laid.reason);
      const node = laid.project.nodes.find((n) => n.id === 'output-1')!;
      (node.data as { dtype: string }).dtype = 'auto';
      const c = compileOutput(laid.project, 'output-1');
      if (!c.ok) throw new Error(c.reason);
      expect(c.job.recipe.dtype, text).toBeUndefined();
      expect(c.job.recipe.outDtype, text).toBeUndefined();
    }
  });

  it('out_dtype alone stays out_dtype', () => {
    const { doc } = roundTrip(`${MODELS}out_dtype: float16\n`);
    expect(doc.out_dtype).toBe('float16');
    expect(doc).not.toHaveProperty('dtype');
  });

  it("a graph made in the editor writes its Output's dtype as out_dtype, as before", () => {
    const g = graph();
    model(g, 'b');
    model(g, 'x');
    merge(g, 't', 'ties', {}, { x: { weight: 1 } });
    output(g, 'o');
    (g.nodes.find((n) => n.id === 'o')!.data as { dtype: string }).dtype = 'bfloat16';
    edge(g, 'b', 't', 'base');
    edge(g, 'x', 't', 'models');
    edge(g, 't', 'o', 'weights');
    const c = compileOutput(g, 'o');
    if (!c.ok) throw new Error(c.reason);
    const doc = parse(exportMergekitYaml([c.job.recipe]).text) as Record<string, unknown>;
    expect(doc.out_dtype).toBe('bfloat16');
    expect(doc).not.toHaveProperty('dtype');
  });

  it('importing dtype bfloat16 says once per file that mergekit merges in bfloat16 and Crucible in float32; float32 says nothing', () => {
    const two = `name: s\n${MODELS}dtype: bfloat16\n---\n${MODELS.replace('x\n', 's\n')}dtype: bf16\n`;
    const said = parseMergekitYaml(two, 'r.yaml').warnings.filter((w) => w.key === 'dtype');
    expect(said).toHaveLength(1);
    expect(said[0].message).toMatch(/^r\.yaml:8:8: dtype 'bfloat16': mergekit loads and merges the models in bfloat16; Crucible computes in float32/);
    expect(parseMergekitYaml(`${MODELS}dtype: float32\n`, 'r.yaml').warnings.filter((w) => w.key === 'dtype')).toEqual([]);
  });
});

/** A two-stage chain: stage `soup` (a TIES merge, or a slices: stage) carrying `keys`, read by a final linear merge. */
function chainYaml(keys: string, slices = false): string {
  const soup = slices ? 'merge_method: passthrough\nslices:\n  - sources: [{model: x, layer_range: [0, 2]}]\n' : MODELS;
  return `name: soup\n${soup}${keys}---\nmerge_method: linear\nmodels:\n  - {model: soup, parameters: {weight: 1}}\n  - {model: y, parameters: {weight: 1}}\n`;
}

function importChain(text: string) {
  const recipes = parseMergekitYaml(text, '/r/chain.yaml').recipes;
  return recipesAsProject(recipes, '/r/chain.yaml', { name: 'chain', outFolder: '/out' }).project;
}

/** The chain's graph exported: each document's keys, the earlier stage first. */
function chainDocs(project: ReturnType<typeof importChain>): Record<string, unknown>[] {
  const c = compileOutput(project, 'output-1');
  if (!c.ok) throw new Error(c.reason);
  const text = exportMergekitYaml([...(c.job.stages ?? []).map((st) => st.recipe), c.job.recipe]).text;
  return text.split(/^---$/m).map((d) => parse(d) as Record<string, unknown>);
}

describe("a chain's earlier stage: dtype and out_dtype as written", () => {
  for (const slices of [false, true]) {
    const kind = slices ? 'a slices: stage' : 'a merge stage';
    it(`${kind} with dtype bfloat16 alone exports dtype bfloat16, no out_dtype`, () => {
      const [stage] = chainDocs(importChain(chainYaml('dtype: bfloat16\n', slices)));
      expect(stage.name).toBe('soup');
      expect(stage.dtype).toBe('bfloat16');
      expect(stage).not.toHaveProperty('out_dtype');
    });

    it(`${kind} with both keys exports both, each as it was`, () => {
      const [stage] = chainDocs(importChain(chainYaml('dtype: float32\nout_dtype: bfloat16\n', slices)));
      expect([stage.dtype, stage.out_dtype]).toEqual(['float32', 'bfloat16']);
    });

    it(`${kind} with out_dtype alone still exports out_dtype alone`, () => {
      const [stage] = chainDocs(importChain(chainYaml('out_dtype: float16\n', slices)));
      expect(stage.out_dtype).toBe('float16');
      expect(stage).not.toHaveProperty('dtype');
    });
  }

  it('what the stage writes is unchanged: the dtype each key set gives, as read from the YAML', () => {
    for (const [keys, want] of [
      ['dtype: bf16\n', 'BF16'],
      ['dtype: float32\nout_dtype: float16\n', 'F16'],
      ['out_dtype: bfloat16\n', 'BF16'],
    ] as const) {
      const c = compileOutput(importChain(chainYaml(keys)), 'output-1');
      if (!c.ok) throw new Error(c.reason);
      const [stage] = c.job.stages ?? [];
      expect(recipeOutputDtype(stage.recipe), keys).toEqual({ ok: true, dtype: want });
    }
  });

  it("a stage dtype changed on the node after import: written as out_dtype beside the recipe's dtype", () => {
    const p = importChain(chainYaml('dtype: bfloat16\n'));
    const soup = p.nodes.find((n) => n.id === 'merge-1')!;
    (soup.data as { dtype?: string }).dtype = 'float16';
    const [stage] = chainDocs(p);
    expect([stage.dtype, stage.out_dtype]).toEqual(['bfloat16', 'float16']);
  });

  it("a stage dtype cleared on the node after import ('as the Output'): neither key is written for it", () => {
    const p = importChain(chainYaml('dtype: bfloat16\n'));
    const soup = p.nodes.find((n) => n.id === 'merge-1')!;
    delete (soup.data as { dtype?: string }).dtype;
    const [stage] = chainDocs(p);
    expect(stage).not.toHaveProperty('dtype');
    expect(stage).not.toHaveProperty('out_dtype');
  });
});
