/**
 * mergekit-multi files as chains of merge nodes, model+lora as LoRA nodes, and the round trip
 * YAML → graph → YAML → recipes over the published corpus. Expectations are written by hand from
 * the fixture files, never taken from the code's own output.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import type { Project } from '../../../common/graph/project-schema.js';
import { getMethod } from '../../../common/methods/registry.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../../electron/engine/recipe/recipes-as-project.js';
import { planStages } from '../../../electron/engine/recipe/stage-order.js';
import { RECIPES_DIR, parsedRecipes, recipeText } from './recipe-fixtures.js';

function imported(number: string): Project {
  const { text, file } = recipeText(number);
  const abs = join(RECIPES_DIR, file);
  return recipesAsProject(parseMergekitYaml(text, abs).recipes, abs, { name: number, outFolder: '/out' }).project;
}

function node(p: Project, id: string) {
  const n = p.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

/** What feeds a node's handle, in edge order: a Model's path, a LoRA's adapter, or a merge's id. */
function feeding(p: Project, target: string, handle: string): string[] {
  return p.edges
    .filter((e) => e.target === target && e.targetHandle === handle)
    .map((e) => {
      const d = node(p, e.source).data;
      return d.kind === 'model' ? d.path : d.kind === 'lora' ? `lora:${d.adapter}` : `${d.kind}:${e.source}`;
    });
}

describe('the mergekit-multi chain of recipe 035 (Yi-34B-200K DARE megamerge v8)', () => {
  const p = imported('035');

  it('is two DARE-TIES merge nodes, the stage 4kmerge-v2 feeding the final merge, then an Output', () => {
    const merges = p.nodes.filter((n) => n.data.kind === 'merge');
    expect(merges.map((n) => n.id)).toEqual(['merge-1', 'merge-2']);
    expect(merges.map((n) => (n.data.kind === 'merge' ? [n.data.method, n.data.label] : null))).toEqual([
      ['dare_ties', '4kmerge-v2'],
      ['dare_ties', undefined],
    ]);
    expect(p.nodes.filter((n) => n.data.kind !== 'merge' && n.data.kind !== 'model').map((n) => n.data.kind)).toEqual(['output']);
    expect(feeding(p, 'output-1', 'weights')).toEqual(['merge:merge-2']);
  });

  it('wires each stage’s base and models as the documents list them, the stage by name among the final merge’s models', () => {
    expect(feeding(p, 'merge-1', 'base')).toEqual(['/home/alpha/Models/Raw/chargoddard_Yi-34B-Llama']);
    expect(feeding(p, 'merge-1', 'models')).toEqual([
      '/home/alpha/Models/Raw/chargoddard_Yi-34B-Llama',
      '/home/alpha/Storage/Models/Raw/chargoddard_Yi-34B-200K-Llama',
      '/home/alpha/Models/Raw/Weyaxi_Nous-Hermes-2-SUS-Chat-34B-Slerp',
      '/home/alpha/Models/Raw/jondurbin_bagel-dpo-34b-v0.2',
      '/home/alpha/Models/Raw/jondurbin_bagel-34b-v0.2',
      '/home/alpha/Models/Raw/bhenrym14_platypus-yi-34b',
      '/home/alpha/Models/Raw/TriadParty_deepsex-34b',
    ]);
    expect(feeding(p, 'merge-2', 'base')).toEqual(['/home/alpha/Storage/Models/Raw/chargoddard_Yi-34B-200K-Llama']);
    expect(feeding(p, 'merge-2', 'models')).toEqual([
      '/home/alpha/Storage/Models/Raw/chargoddard_Yi-34B-200K-Llama',
      '/home/alpha/Storage/Models/Raw/migtissera_Tess-34B-v1.4',
      '/home/alpha/Models/Raw/Mihaiii_Pallas-0.5',
      '/home/alpha//Storage/Models/Raw/bhenrym14_airoboros-3_1-yi-34b-200k',
      '/home/alpha/Storage/Models/Raw/jondurbin_bagel-34b-v0.2',
      '/home/alpha/Storage/Models/Raw/kyujinpy_PlatYi-34B-200k-Q-FastChat',
      '/home/alpha/Models/Raw/adamo1139_Yi-34B-200K-AEZAKMI-v2',
      '/home/alpha/Storage/Models/Raw/Nous-Capybara-34B',
      'merge:merge-1',
      '/home/alpha/Models/Raw/migtissera_Tess-M-Creative-v1.0',
      '/home/alpha/Models/Raw/TriadParty_deepmoney-34b-200k-base',
    ]);
    // The model shared by both documents is one node.
    expect(p.nodes.filter((n) => n.data.kind === 'model' && n.data.path === '/home/alpha/Storage/Models/Raw/chargoddard_Yi-34B-200K-Llama')).toHaveLength(1);
  });

  it('keeps the per-model parameters of the stage’s edge ("#Previous merge")', () => {
    const final = node(p, 'merge-2').data;
    expect(final.kind === 'merge' && final.modelParams['merge-1']).toEqual({ weight: [0.02, 0.115, 0.115, 0.115, 0.115, 0.115], density: 0.4 });
  });

  it('lays out left to right by stage depth: models, the stage, the final merge, the Output at the final merge’s height', () => {
    const x = (id: string) => node(p, id).position.x;
    const models = p.nodes.filter((n) => n.data.kind === 'model');
    expect(Math.max(...models.map((n) => n.position.x))).toBeLessThan(x('merge-1'));
    expect(x('merge-1')).toBeLessThan(x('merge-2'));
    expect(x('merge-2')).toBeLessThan(x('output-1'));
    expect(node(p, 'output-1').position.y).toBe(node(p, 'merge-2').position.y);
  });

  it('compiles to the stage (named) and the final merge using it', () => {
    const c = compileOutput(p, 'output-1');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages?.map((s) => [s.mergeNodeId, s.recipe.name, s.recipe.mergeMethod, s.recipe.baseModel])).toEqual([
      ['merge-1', '4kmerge-v2', 'dare_ties', '/home/alpha/Models/Raw/chargoddard_Yi-34B-Llama'],
    ]);
    expect(c.job.recipe.models?.[8]).toEqual({ model: '4kmerge-v2', parameters: { weight: [0.02, 0.115, 0.115, 0.115, 0.115, 0.115], density: 0.4 } });
  });
});

describe('model+lora references (recipe 072, model_stock over LoRA-adapted models)', () => {
  it('become LoRA nodes over one Model node, feeding the merge’s models and base', () => {
    const p = imported('072');
    const hub = 'FreedomIntelligence/HuatuoGPT-o1-8B';
    expect(p.nodes.filter((n) => n.data.kind === 'model').map((n) => n.data.kind === 'model' && n.data.path)).toEqual([hub]);
    expect(feeding(p, 'merge-1', 'base')).toEqual(['lora:grimjim/Llama-3-Instruct-abliteration-LoRA-8B']);
    expect(feeding(p, 'merge-1', 'models')).toEqual([
      'lora:eeeebbb2/3aff0ea7-4262-4abb-97b1-1879f340d32e',
      'lora:surya-narayanan/professional_psychology',
      'lora:Blackroot/Llama-3-LongStory-LORA',
      'lora:ResplendentAI/Llama3_RP_ORPO_LoRA',
      'lora:vincentyandex/lora_llama3_chunked_novel_bs128',
      'lora:surya-narayanan/human_sexuality',
    ]);
    for (const l of p.nodes.filter((n) => n.data.kind === 'lora')) {
      expect(l.data).toMatchObject({ mode: 'model' });
      expect(feeding(p, l.id, 'base')).toEqual([hub]);
    }
  });
});

/**
 * What a graph keeps of a recipe: method, base, models (reference and parameters) and the global
 * parameters the method declares, per stage (a model's Fisher file too), with stage names, each stage's dtype and
 * out_dtype keys as written (out_dtype when it differs from dtype), seed, tokenizer source and chat template; for a `slices:` stage, each
 * slice's sources (reference, layer range, Fisher file, the per-model parameters the method
 * declares) and the slice's declared parameters, with the declared parameters of either scope for
 * every slice. A SLERP-like base is listed first among the inputs, without parameters.
 */
function semantics(stages: readonly MergeRecipe[], file: string) {
  const plan = planStages(stages, file);
  return plan.order.map((i) => {
    const r = stages[i];
    const method = getMethod(r.mergeMethod)!;
    const declared = new Set(method.params.filter((p) => p.scope === 'global').map((p) => p.name));
    const perModel = new Set(method.params.filter((p) => p.scope === 'model').map((p) => p.name));
    const either = new Set([...declared, ...perModel]);
    const pick = (ps: Record<string, unknown> | undefined, keep: Set<string>) => Object.fromEntries(Object.entries(ps ?? {}).filter(([k]) => keep.has(k)));
    const key = (m: { model: string; lora?: string }) => (m.lora === undefined ? m.model : `${m.model}+${m.lora}`);
    let models = (r.models ?? []).map((m) => ({ model: key(m), fisher: m.fisher, parameters: pick(m.parameters, perModel) }));
    if (method.baseAmongInputs) models = models.filter((m) => m.model !== r.baseModel);
    const slices = r.slices?.map((sl) => ({
      sources: sl.sources.map((src) => ({ model: key(src), layerRange: src.layerRange, fisher: src.fisher, parameters: pick(src.parameters, perModel) })),
      parameters: pick(sl.parameters, either),
    }));
    return {
      name: i === plan.final ? undefined : r.name,
      method: method.id,
      base: r.baseModel,
      models,
      slices,
      parameters: pick(r.parameters, r.slices ? either : declared),
      // Each dtype key as written (mergekit's dtype is what it merges in, out_dtype a cast of the
      // result); an out_dtype equal to dtype says nothing more (it defaults to dtype) and may go.
      dtype: canonicalDtype(r.dtype),
      outDtype: canonicalDtype(r.outDtype) === canonicalDtype(r.dtype) ? undefined : canonicalDtype(r.outDtype),
      // Absent means 0; a random method's recipe always names its seed on export.
      seed: r.seed ?? 0,
      tokenizerSource: r.tokenizerSource,
      chatTemplate: r.chatTemplate,
    };
  });
}

function canonicalDtype(d: string | undefined): string | undefined {
  return d?.replace(/^(bf16)$/, 'bfloat16');
}

describe('round trip through the graph', () => {
  it('every published recipe (models: or slices:, one or several documents) imports as a graph whose export imports as the same merges', () => {
    let count = 0;
    let chains = 0;
    let sliced = 0;
    for (const { name: f, text, file, recipes } of parsedRecipes()) {
      const project = recipesAsProject(recipes, join(RECIPES_DIR, file), { name: f, outFolder: '/out' }).project;
      const c = compileOutput(project, 'output-1');
      expect(c.ok, `${f}: ${c.ok ? '' : c.reason}`).toBe(true);
      if (!c.ok) continue;
      const exported = exportMergekitYaml([...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe]).text;
      const again = parseMergekitYaml(exported, file).recipes;
      expect(semantics(again, file), f).toEqual(semantics(recipes, file));
      // And the re-import lays out as the same graph.
      const p2 = recipesAsProject(again, join(RECIPES_DIR, file), { name: f, outFolder: '/out' }).project;
      expect(p2.nodes.map((n) => n.data.kind).sort(), f).toEqual(project.nodes.map((n) => n.data.kind).sort());
      count++;
      if (recipes.length > 1) chains++;
      if (recipes.some((r) => r.slices)) sliced++;
    }
    expect(chains).toBe(1);
    expect(sliced).toBe(18);
    expect(count).toBeGreaterThanOrEqual(58);
  });

  it('a chain whose Fisher merge reads an earlier stage’s result (with its Fisher file) round-trips the same way', () => {
    const file = '/recipes/fisher-of-stage.yaml';
    const text = [
      'name: soup',
      'merge_method: linear',
      'models:',
      '  - model: /m/a',
      '    parameters: {weight: 1}',
      '  - model: /m/b',
      '    parameters: {weight: 3}',
      '---',
      'merge_method: fisher',
      'models:',
      '  - model: soup',
      '    fisher: /f/soup.safetensors',
      '    parameters: {weight: 1}',
      '  - model: /m/c',
      '    fisher: /f/c.safetensors',
      '    parameters: {weight: 2}',
      '',
    ].join('\n');
    const recipes = parseMergekitYaml(text, file).recipes;
    const project = recipesAsProject(recipes, file, { name: 'f', outFolder: '/out' }).project;
    const c = compileOutput(project, 'output-1');
    expect(c.ok, c.ok ? '' : c.reason).toBe(true);
    if (!c.ok) return;
    const again = parseMergekitYaml(exportMergekitYaml([...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe]).text, file).recipes;
    expect(semantics(again, file)).toEqual(semantics(recipes, file));
    expect(semantics(again, file)[1].models.map((m) => [m.model, m.fisher])).toEqual([
      ['soup', '/f/soup.safetensors'],
      ['/m/c', '/f/c.safetensors'],
    ]);
  });

  it('a chain exports as mergekit-multi documents: the stage named, used by name in the final document', () => {
    const c = compileOutput(imported('035'), 'output-1');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const text = exportMergekitYaml([...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe]).text;
    const docs = text.split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatch(/^name: 4kmerge-v2$/m);
    expect(docs[1]).not.toMatch(/^name:/m);
    expect(docs[1]).toMatch(/^\s*- model: 4kmerge-v2$/m);
  });
});

describe('a stage’s own dtype and seed', () => {
  const yaml = [
    'name: soup',
    'merge_method: dare_ties',
    'base_model: /m/base',
    'models:',
    '  - model: /m/a',
    '    parameters: { weight: 0.5, density: 0.5 }',
    'dtype: bfloat16',
    'out_dtype: float16',
    'random_seed: 7',
    '---',
    'merge_method: linear',
    'models:',
    '  - model: soup',
    '    parameters: { weight: 1 }',
    '  - model: /m/b',
    '    parameters: { weight: 1 }',
    'dtype: float32',
    'random_seed: 3',
  ].join('\n');
  const file = '/r/two-stage.yaml';
  const project = () => recipesAsProject(parseMergekitYaml(yaml, file).recipes, file, { name: 'two', outFolder: '/out' }).project;

  it('land on the stage’s merge node (out_dtype before dtype); the final stage’s on the Output', () => {
    const p = project();
    expect(node(p, 'merge-1').data).toMatchObject({ label: 'soup', dtype: 'float16', seed: 7 });
    expect(node(p, 'merge-2').data).not.toHaveProperty('dtype');
    expect(node(p, 'merge-2').data).not.toHaveProperty('seed');
    expect(node(p, 'output-1').data).toMatchObject({ dtype: 'float32', seed: 3 });
  });

  it('compile into the stage’s recipe and export as its out_dtype and a seed comment', () => {
    const c = compileOutput(project(), 'output-1');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages?.map((s) => [s.recipe.name, s.recipe.outDtype, s.recipe.seed])).toEqual([['soup', 'float16', 7]]);
    // The final stage's dtype key stays dtype (mergekit's out_dtype defaults to it).
    expect([c.job.recipe.dtype, c.job.recipe.outDtype, c.job.recipe.seed]).toEqual(['float32', undefined, 3]);
    const docs = exportMergekitYaml([...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe]).text.split(/^---$/m);
    expect(docs[0]).toMatch(/^out_dtype: float16$/m);
    expect(docs[0]).toMatch(/^# crucible seed: 7 — pass --random-seed 7 to mergekit$/m);
    expect(docs[0]).not.toMatch(/random_seed:/);
    expect(docs[1]).toMatch(/^# crucible seed: 3 — pass --random-seed 3 to mergekit$/m);
    expect(docs[1]).toMatch(/^dtype: float32$/m);
    expect(docs[1]).not.toMatch(/out_dtype/);
  });

  it('absent on a stage’s node, the Output’s seed applies to it and no dtype is written for it', () => {
    const p = project();
    const m1 = node(p, 'merge-1');
    if (m1.data.kind !== 'merge') throw new Error('merge-1 is not a merge');
    delete m1.data.dtype;
    delete m1.data.seed;
    const c = compileOutput(p, 'output-1');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.job.stages?.map((s) => [s.recipe.outDtype, s.recipe.seed])).toEqual([[undefined, 3]]);
  });

  it('set on the final merge node, take precedence over the Output’s', () => {
    const p = project();
    const m2 = node(p, 'merge-2');
    if (m2.data.kind !== 'merge') throw new Error('merge-2 is not a merge');
    m2.data.dtype = 'bfloat16';
    m2.data.seed = 11;
    const c = compileOutput(p, 'output-1');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect([c.job.recipe.outDtype, c.job.recipe.seed, c.job.seed]).toEqual(['bfloat16', 11, 11]);
  });
});

describe('a mergekit-multi chain with a slices: stage', () => {
  // Stage mix = SLERP of a and b; the final stage stacks layers 0–1 of mix on layers 2–3 of c.
  const yaml = [
    'name: mix',
    'merge_method: slerp',
    'base_model: /m/a',
    'models:',
    '  - model: /m/a',
    '  - model: /m/b',
    'parameters:',
    '  t: 0.3',
    'dtype: float16',
    'random_seed: 4',
    '---',
    'merge_method: passthrough',
    'slices:',
    '  - sources:',
    '      - model: mix',
    '        layer_range: [0, 2]',
    '  - sources:',
    '      - model: /m/c',
    '        layer_range: [2, 4]',
    'dtype: float32',
  ].join('\n');
  const file = '/r/frank-chain.yaml';
  const project = (text = yaml) => recipesAsProject(parseMergekitYaml(text, file).recipes, file, { name: 'frank', outFolder: '/out' }).project;

  it('imports as the SLERP merge node feeding a Layer assembly (rows naming it and a Model), then the Output', () => {
    const p = project();
    expect(p.nodes.map((n) => [n.id, n.data])).toEqual([
      ['model-1', { kind: 'model', path: '/m/a' }],
      ['model-2', { kind: 'model', path: '/m/b' }],
      ['model-3', { kind: 'model', path: '/m/c' }],
      ['merge-1', { kind: 'merge', method: 'slerp', params: { t: 0.3 }, modelParams: {}, label: 'mix', dtype: 'float16', recipeDtype: 'float16', seed: 4 }],
      [
        'assembly-2',
        {
          kind: 'layerAssembly',
          method: 'passthrough',
          params: {},
          rows: [
            { sources: [{ input: 'merge-1', range: [0, 2], params: {} }], params: {} },
            { sources: [{ input: 'model-3', range: [2, 4], params: {} }], params: {} },
          ],
        },
      ],
      ['output-1', expect.objectContaining({ kind: 'output', folder: '/out', dtype: 'float32' })],
    ]);
    expect(p.edges.map((e) => `${e.source}.${e.sourceHandle} → ${e.target}.${e.targetHandle}`).sort()).toEqual(
      [
        'model-1.weights → merge-1.base',
        'model-2.weights → merge-1.models',
        'merge-1.weights → assembly-2.models',
        'model-3.weights → assembly-2.models',
        'assembly-2.weights → output-1.weights',
      ].sort(),
    );
    const x = (id: string) => node(p, id).position.x;
    expect(x('model-3')).toBeLessThan(x('merge-1'));
    expect(x('merge-1')).toBeLessThan(x('assembly-2'));
    expect(x('assembly-2')).toBeLessThan(x('output-1'));
  });

  it('exports as two documents — the SLERP stage named, then the slices: document taking layers from it — and re-imports as the same graph', () => {
    const p = project();
    const c = compileOutput(p, 'output-1');
    expect(c.ok, c.ok ? '' : c.reason).toBe(true);
    if (!c.ok) return;
    const text = exportMergekitYaml([...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe]).text;
    const docs = text.split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatch(/^name: mix$/m);
    expect(docs[0]).toMatch(/^merge_method: slerp$/m);
    // The stage's dtype key as the YAML wrote it.
    expect(docs[0]).toMatch(/^dtype: float16$/m);
    expect(docs[0]).not.toMatch(/out_dtype/);
    expect(docs[0]).toMatch(/^# crucible seed: 4 — pass --random-seed 4 to mergekit$/m);
    expect(docs[1]).not.toMatch(/^name:/m);
    expect(docs[1]).toMatch(/^slices:$/m);
    expect(docs[1]).toMatch(/- model: mix\n\s+layer_range: \[0, 2\]/);
    expect(docs[1]).toMatch(/- model: \/m\/c\n\s+layer_range: \[2, 4\]/);
    expect(semantics(parseMergekitYaml(text, file).recipes, file)).toEqual(semantics(parseMergekitYaml(yaml, file).recipes, file));
    const again = project(text);
    expect(again.nodes.map((n) => [n.id, n.data.kind])).toEqual(p.nodes.map((n) => [n.id, n.data.kind]));
    expect(again.edges.map((e) => [e.source, e.target, e.targetHandle]).sort()).toEqual(p.edges.map((e) => [e.source, e.target, e.targetHandle]).sort());
    expect(node(again, 'assembly-2').data).toEqual(node(p, 'assembly-2').data);
  });

  it('a slices: stage used by a later merge: the assembly, named, feeds the final merge', () => {
    const three = [
      'name: frank',
      'merge_method: passthrough',
      'slices:',
      '  - sources: [{model: /m/a, layer_range: [0, 2]}]',
      '  - sources: [{model: /m/b, layer_range: [1, 3]}]',
      'out_dtype: bfloat16',
      '---',
      'merge_method: linear',
      'models:',
      '  - {model: frank, parameters: {weight: 1}}',
      '  - {model: /m/c, parameters: {weight: 3}}',
    ].join('\n');
    const p = project(three);
    expect(node(p, 'assembly-1').data).toMatchObject({ kind: 'layerAssembly', label: 'frank', dtype: 'bfloat16' });
    expect(feeding(p, 'merge-2', 'models')).toEqual(['layerAssembly:assembly-1', '/m/c']);
    expect((node(p, 'merge-2').data as { modelParams: unknown }).modelParams).toEqual({ 'assembly-1': { weight: 1 }, 'model-3': { weight: 3 } });
    const c = compileOutput(p, 'output-1');
    expect(c.ok && c.job.stages?.map((s) => [s.mergeNodeId, s.recipe.name, s.recipe.slices?.length, s.recipe.outDtype])).toEqual([['assembly-1', 'frank', 2, 'bfloat16']]);
    expect(c.ok && c.job.recipe.models?.[0]).toEqual({ model: 'frank', parameters: { weight: 1 } });
  });
});
