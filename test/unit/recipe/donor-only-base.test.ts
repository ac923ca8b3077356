/**
 * base_model on a method that merges no base (linear, passthrough, ...): mergekit still takes the
 * output's config.json and tokenizer (`tokenizer_source: base`) from it. The graph keeps it on the
 * node's Base input ("donor only"), compiles it as the recipe's base_model, and exports it, in a
 * single document, a chain stage and a `slices:` recipe. Expectations are written by hand.
 */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { portsOf } from '../../../common/graph/ports.js';
import type { Project } from '../../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../../electron/engine/recipe/recipes-as-project.js';

const FILE = '/recipes/lin.yaml';

function imported(text: string): Project {
  return recipesAsProject(parseMergekitYaml(text, FILE).recipes, FILE, { name: 'lin', outFolder: '/out' }).project;
}

/** The Model paths (or `kind:id` for other nodes) wired into a node's handle. */
function feeding(p: Project, target: string, handle: string): string[] {
  return p.edges
    .filter((e) => e.target === target && e.targetHandle === handle)
    .map((e) => {
      const d = p.nodes.find((n) => n.id === e.source)!.data;
      return d.kind === 'model' ? d.path : `${d.kind}:${e.source}`;
    });
}

function exported(p: Project): { text: string; recipes: MergeRecipe[] } {
  const c = compileOutput(p, 'output-1');
  if (!c.ok) throw new Error(c.reason);
  const recipes = [...(c.job.stages ?? []).map((s) => s.recipe), c.job.recipe];
  return { text: exportMergekitYaml(recipes).text, recipes };
}

const LINEAR = [
  'merge_method: linear',
  'base_model: org/base',
  'models:',
  '  - model: org/a',
  '    parameters:',
  '      weight: 0.25',
  '  - model: org/b',
  '    parameters:',
  '      weight: 0.75',
  'tokenizer_source: base',
  '',
].join('\n');

describe('a linear recipe with base_model', () => {
  it("imports with the base wired to the merge node's Base input, labelled donor only, not among the models", () => {
    const p = imported(LINEAR);
    expect(feeding(p, 'merge-1', 'base')).toEqual(['org/base']);
    expect(feeding(p, 'merge-1', 'models')).toEqual(['org/a', 'org/b']);
    const merge = p.nodes.find((n) => n.id === 'merge-1')!;
    const base = portsOf(merge.data).inputs.find((i) => i.id === 'base');
    expect(base?.label).toBe('Base (donor only: config, tokenizer)');
    expect(base?.hint).toMatch(/weights are not merged/);
  });

  it('compiles to base_model and the two weighted models, tokenizer_source base kept', () => {
    const { recipes } = exported(imported(LINEAR));
    expect(recipes).toEqual([
      {
        mergeMethod: 'linear',
        baseModel: 'org/base',
        models: [
          { model: 'org/a', parameters: { weight: 0.25 } },
          { model: 'org/b', parameters: { weight: 0.75 } },
        ],
        tokenizerSource: 'base',
      },
    ]);
  });

  it('exports base_model back, and the export re-imports as the same recipe', () => {
    const { text } = exported(imported(LINEAR));
    expect(text).toMatch(/^base_model: org\/base$/m);
    expect(text).toMatch(/^tokenizer_source: base$/m);
    expect(parseMergekitYaml(text, FILE).recipes).toEqual(parseMergekitYaml(LINEAR, FILE).recipes);
  });

  it('exported over the file it came from, unchanged, the file stays byte for byte (comments and all)', () => {
    const commented = LINEAR.replace('base_model: org/base', 'base_model: org/base # config and tokenizer from here').replace('merge_method: linear', '# a soup\nmerge_method: linear');
    const { recipes } = exported(imported(commented));
    const out = exportMergekitYaml(recipes, { previousText: commented, file: FILE });
    expect(out.warnings).toEqual([]);
    expect(out.text).toBe(commented);
  });

  it('a base also listed among the models: one Model node on Base and Models, both kept', () => {
    const text = ['merge_method: linear', 'base_model: org/a', 'models:', '  - model: org/a', '    parameters: {weight: 1}', '  - model: org/b', '    parameters: {weight: 1}', ''].join('\n');
    const p = imported(text);
    expect(feeding(p, 'merge-1', 'base')).toEqual(['org/a']);
    expect(feeding(p, 'merge-1', 'models')).toEqual(['org/a', 'org/b']);
    expect(p.nodes.filter((n) => n.data.kind === 'model')).toHaveLength(2);
    expect(exported(p).recipes[0]).toMatchObject({ baseModel: 'org/a', models: [{ model: 'org/a' }, { model: 'org/b' }] });
  });
});

describe('a chain stage with base_model on a method that merges none', () => {
  const CHAIN = [
    'name: soup',
    'merge_method: linear',
    'base_model: org/base',
    'models:',
    '  - model: org/a',
    '    parameters: {weight: 1}',
    '  - model: org/b',
    '    parameters: {weight: 1}',
    'tokenizer_source: base',
    '---',
    'merge_method: slerp',
    'base_model: soup',
    'models:',
    '  - model: soup',
    '  - model: org/c',
    'parameters:',
    '  t: 0.5',
    '',
  ].join('\n');

  it("keeps the stage's base on its merge node's Base and exports it in the stage's document", () => {
    const p = imported(CHAIN);
    expect(feeding(p, 'merge-1', 'base')).toEqual(['org/base']);
    expect(feeding(p, 'merge-2', 'base')).toEqual(['merge:merge-1']);
    const { text, recipes } = exported(p);
    expect(recipes[0]).toMatchObject({ name: 'soup', mergeMethod: 'linear', baseModel: 'org/base', tokenizerSource: 'base' });
    const docs = text.split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatch(/^base_model: org\/base$/m);
    expect(docs[0]).toMatch(/^tokenizer_source: base$/m);
    expect(docs[1]).toMatch(/^base_model: soup$/m);
  });
});

describe('a passthrough frankenmerge with base_model', () => {
  const SLICES = [
    'merge_method: passthrough',
    'base_model: org/base',
    'slices:',
    '  - sources:',
    '      - model: org/a',
    '        layer_range: [0, 2]',
    '  - sources:',
    '      - model: org/b',
    '        layer_range: [1, 3]',
    'tokenizer_source: base',
    '',
  ].join('\n');

  it("keeps it on the Layer assembly's Base (donor only) and exports it", () => {
    const p = imported(SLICES);
    const assembly = p.nodes.find((n) => n.data.kind === 'layerAssembly')!;
    expect(feeding(p, assembly.id, 'base')).toEqual(['org/base']);
    expect(portsOf(assembly.data).inputs.find((i) => i.id === 'base')?.label).toBe('Base (donor only: config, tokenizer)');
    const { text, recipes } = exported(p);
    expect(recipes[0]).toMatchObject({
      mergeMethod: 'passthrough',
      baseModel: 'org/base',
      slices: [{ sources: [{ model: 'org/a', layerRange: [0, 2] }] }, { sources: [{ model: 'org/b', layerRange: [1, 3] }] }],
    });
    expect(text).toMatch(/^base_model: org\/base$/m);
    expect(parseMergekitYaml(text, FILE).recipes).toEqual(parseMergekitYaml(SLICES, FILE).recipes);
  });
});
