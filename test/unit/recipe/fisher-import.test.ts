/**
 * A Fisher merge in the `models:` form (each model's `fisher:` file) imports as a graph: a Fisher
 * node per model reading its file, fed by that model and feeding the merge's Fisher input; it
 * compiles back to the same recipe, and exports and re-imports the same. In a chain, the Fisher
 * stage keeps its Fisher nodes.
 */
import { describe, expect, it } from 'vitest';
import { compileOutput } from '../../../common/graph/compile.js';
import { validateGraph } from '../../../common/graph/validate-graph.js';
import type { Project } from '../../../common/graph/project-schema.js';
import { exportMergekitYaml } from '../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { recipesAsProject } from '../../../electron/engine/recipe/recipes-as-project.js';

const FILE = '/recipes/fisher.yaml';
const lines = (...l: string[]) => l.join('\n') + '\n';

function imported(text: string): Project {
  return recipesAsProject(parseMergekitYaml(text, FILE).recipes, FILE, { name: 'f', outFolder: '/out' }).project;
}

function compiled(p: Project) {
  const c = compileOutput(p, 'output-1');
  if (!c.ok) throw new Error(c.reason);
  return c.job;
}

/** Each Fisher node as [its file, the node feeding its Model input, the node its output feeds]. */
function fisherWiring(p: Project): [string, string, string][] {
  return p.nodes
    .filter((n) => n.data.kind === 'fisher')
    .map((n) => {
      const from = p.edges.find((e) => e.target === n.id && e.targetHandle === 'model')!.source;
      const to = p.edges.find((e) => e.source === n.id && e.targetHandle === 'fishers')!.target;
      const path = (id: string) => {
        const d = p.nodes.find((m) => m.id === id)!.data;
        return d.kind === 'model' ? d.path : id;
      };
      return [(n.data as { file: string }).file, path(from), to];
    });
}

const SINGLE = lines(
  'merge_method: fisher',
  'models:',
  '  - model: /m/a',
  '    fisher: /f/a.safetensors',
  '    parameters: {weight: 1}',
  '  - model: /m/b',
  '    fisher: /f/b.safetensors',
  '    parameters: {weight: 3}',
);

describe('a Fisher merge in the models: form', () => {
  it('gets a Fisher node per model, reading its file, between the model and the merge', () => {
    const p = imported(SINGLE);
    expect(fisherWiring(p)).toEqual([
      ['/f/a.safetensors', '/m/a', 'merge-1'],
      ['/f/b.safetensors', '/m/b', 'merge-1'],
    ]);
    for (const n of p.nodes.filter((n) => n.data.kind === 'fisher')) expect(n.data).toMatchObject({ source: 'file', texts: [] });
  });

  it('compiles to the recipe it came from (each model with its Fisher file and weight), and exports and re-imports the same', () => {
    const job = compiled(imported(SINGLE));
    expect(job.recipe).toMatchObject({
      mergeMethod: 'fisher',
      models: [
        { model: '/m/a', fisher: '/f/a.safetensors', parameters: { weight: 1 } },
        { model: '/m/b', fisher: '/f/b.safetensors', parameters: { weight: 3 } },
      ],
    });
    const yaml = exportMergekitYaml([job.recipe]).text;
    expect(parseMergekitYaml(yaml, FILE).recipes[0].models).toEqual(parseMergekitYaml(SINGLE, FILE).recipes[0].models);
  });

  it('in a mergekit-multi file: the Fisher stage’s Fisher nodes feed its own merge node', () => {
    const p = imported(
      lines(
        'name: soup',
        'merge_method: linear',
        'models: [{model: /m/a, parameters: {weight: 1}}, {model: /m/c, parameters: {weight: 1}}]',
        '---',
        'merge_method: fisher',
        'models:',
        '  - model: /m/a',
        '    fisher: /f/a.safetensors',
        '  - model: /m/b',
        '    fisher: /f/b.safetensors',
      ),
    );
    expect(fisherWiring(p)).toEqual([
      ['/f/a.safetensors', '/m/a', 'merge-2'],
      ['/f/b.safetensors', '/m/b', 'merge-2'],
    ]);
    expect(compiled(p).recipe.models?.map((m) => m.fisher)).toEqual(['/f/a.safetensors', '/f/b.safetensors']);
  });

  it('another method ignores `fisher:` entries (as the engine does): no Fisher nodes', () => {
    const p = imported(SINGLE.replace('merge_method: fisher', 'merge_method: linear'));
    expect(p.nodes.some((n) => n.data.kind === 'fisher')).toBe(false);
  });
});

describe('a Fisher stage that reads an earlier stage’s result as a model', () => {
  const CHAIN = lines(
    'name: soup',
    'merge_method: linear',
    'models:',
    '  - model: /m/a',
    '    parameters: {weight: 1}',
    '  - model: /m/b',
    '    parameters: {weight: 1}',
    '---',
    'merge_method: fisher',
    'models:',
    '  - model: soup',
    '    fisher: /f/soup.safetensors',
    '  - model: /m/c',
    '    fisher: /f/c.safetensors',
  );

  it('imports with no warning and compiles to the stage, then a Fisher merge naming the stage with its Fisher file, as the YAML says', () => {
    const { project: p, warnings } = recipesAsProject(parseMergekitYaml(CHAIN, FILE).recipes, FILE, { name: 'f', outFolder: '/out' });
    expect(warnings).toEqual([]);
    expect(fisherWiring(p)).toEqual([
      ['/f/soup.safetensors', 'merge-1', 'merge-2'],
      ['/f/c.safetensors', '/m/c', 'merge-2'],
    ]);
    const job = compiled(p);
    expect(job.stages?.map((s) => s.recipe)).toEqual([
      { name: 'soup', mergeMethod: 'linear', models: [{ model: '/m/a', parameters: { weight: 1 } }, { model: '/m/b', parameters: { weight: 1 } }] },
    ]);
    expect(job.recipe).toEqual({
      mergeMethod: 'fisher',
      models: [
        { model: 'soup', fisher: '/f/soup.safetensors' },
        { model: '/m/c', fisher: '/f/c.safetensors' },
      ],
    });
  });

  it('lays the stage’s Fisher node out below the stage’s merge node, clear of it, not at the top of the canvas', () => {
    const { project: p } = recipesAsProject(parseMergekitYaml(CHAIN, FILE).recipes, FILE, { name: 'f', outFolder: '/out' });
    const at = (id: string) => p.nodes.find((n) => n.id === id)!.position;
    const fisherOfStage = p.edges.find((e) => e.source === 'merge-1' && e.targetHandle === 'model')!.target;
    const stage = at('merge-1');
    const fisher = at(fisherOfStage);
    expect(fisher.y).toBeGreaterThanOrEqual(stage.y + 500);
    expect(fisher.x).toBeGreaterThan(stage.x);
    expect(fisher.x).toBeLessThan(at('merge-2').x);
  });

  it('exports as the same two documents, which re-import to the same graph and recipe', () => {
    const job = compiled(imported(CHAIN));
    const yaml = exportMergekitYaml([...(job.stages ?? []).map((s) => s.recipe), job.recipe]).text;
    const again = parseMergekitYaml(yaml, FILE).recipes;
    expect(again.map((r) => [r.name, r.mergeMethod, r.models])).toEqual(parseMergekitYaml(CHAIN, FILE).recipes.map((r) => [r.name, r.mergeMethod, r.models]));
    const reimported = compiled(imported(yaml));
    expect(reimported.recipe).toEqual(job.recipe);
    expect(reimported.stages?.map((s) => s.recipe)).toEqual(job.stages?.map((s) => s.recipe));
  });

  it('every node is valid; a Fisher node estimating on the stage’s result says it cannot, on that node', () => {
    expect(Object.entries(validateGraph(imported(CHAIN), () => undefined)).filter(([, v]) => !v.ok)).toEqual([]);
    const p = imported(CHAIN);
    const f = p.nodes.find((n) => n.id === 'fisher-1')!;
    f.data = { kind: 'fisher', source: 'estimate', file: '/f/soup.safetensors', texts: [{ kind: 'builtin', id: 'x' } as never] };
    const reason =
      'An earlier merge’s result exists only once its stage has run, so its Fisher cannot be estimated here: choose a Fisher file for it (Source: file), or write that merge to an Output and load its folder as a Model.';
    expect(validateGraph(p, () => undefined)['fisher-1']).toEqual({ ok: false, reason });
    expect(compileOutput(p, 'output-1')).toEqual({ ok: false, nodeId: 'fisher-1', reason });
  });
});

describe('a `slices:` Fisher stage in a chain, reading an earlier stage’s result', () => {
  const CHAIN = lines(
    'name: soup',
    'merge_method: linear',
    'models: [{model: /m/a, parameters: {weight: 1}}, {model: /m/b, parameters: {weight: 1}}]',
    '---',
    'merge_method: fisher',
    'slices:',
    '  - sources:',
    '      - model: soup',
    '        layer_range: [0, 2]',
    '        fisher: /f/soup.safetensors',
    '      - model: /m/c',
    '        layer_range: [0, 2]',
    '        fisher: /f/c.safetensors',
  );

  it('imports as a Layer assembly with a Fisher node on the stage and on C, and compiles to the same slices', () => {
    const p = imported(CHAIN);
    expect(fisherWiring(p)).toEqual([
      ['/f/soup.safetensors', 'merge-1', 'assembly-2'],
      ['/f/c.safetensors', '/m/c', 'assembly-2'],
    ]);
    const job = compiled(p);
    expect(job.stages?.map((s) => s.recipe.name)).toEqual(['soup']);
    expect(job.recipe.slices).toEqual([
      {
        sources: [
          { model: 'soup', layerRange: [0, 2], fisher: '/f/soup.safetensors' },
          { model: '/m/c', layerRange: [0, 2], fisher: '/f/c.safetensors' },
        ],
      },
    ]);
  });

  it('one source naming two Fisher files is refused on import, saying which', () => {
    const two = CHAIN.replace('fisher: /f/c.safetensors', 'fisher: /f/c.safetensors\n  - sources:\n      - model: /m/c\n        layer_range: [2, 4]\n        fisher: /f/other.safetensors');
    expect(() => imported(two)).toThrow("'/m/c' names two Fisher files (/f/c.safetensors, /f/other.safetensors): a graph pairs one Fisher node with each model.");
  });
});
