import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../common/graph/load-project.js';
import { projectJsonSchema } from '../../../common/graph/json-schema.js';
import { recipeToProject } from '../../../common/graph/recipe-to-project.js';
import { compileOutput } from '../../../common/graph/compile.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/projects/${name}`, import.meta.url)), 'utf8'));

describe('project file', () => {
  it('migrates the version 1 corpus file: nodes, edges, per-model parameters onto the merge node, output defaults', () => {
    const r = loadProject(fixture('v1-ties.crucible.json'), 'v1-ties.crucible.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.migratedFrom).toBe(1);
    const p = r.project;
    expect(p.version).toBe(2);
    expect(p.name).toBe('ties from the prototype');
    expect(p.nodes.find((n) => n.id === 'm')?.data).toEqual({
      kind: 'merge',
      method: 'ties',
      params: { lambda: 0.9 },
      modelParams: { a: { weight: 1, density: 0.5 }, c: { weight: 0.5, density: 0.7 } },
    });
    expect(p.nodes.find((n) => n.id === 'out')?.data).toEqual({ kind: 'output', folder: '/tmp/out', dtype: 'bfloat16', shardSize: 5 * 1024 ** 3, seed: 0, overwrite: false });
    expect(p.edges).toHaveLength(4);
    // And it compiles to the recipe the prototype meant.
    const c = compileOutput(p, 'out');
    expect(c.ok && c.job.recipe).toEqual({
      mergeMethod: 'ties',
      baseModel: '/models/base',
      models: [
        { model: '/models/a', parameters: { weight: 1, density: 0.5 } },
        { model: '/models/c', parameters: { weight: 0.5, density: 0.7 } },
      ],
      parameters: { lambda: 0.9 },
      outDtype: 'bfloat16',
    });
  });

  it('the current version round-trips and the demo project is valid', () => {
    const demo = fixture('../../../assets/demo/demo.crucible.json');
    const r = loadProject(demo, 'demo');
    expect(r.ok).toBe(true);
    if (r.ok) expect(loadProject(JSON.parse(JSON.stringify(r.project)), 'again')).toEqual({ ok: true, project: r.project, migratedFrom: null });
  });

  it('refuses newer versions, unknown fields, dangling edges and non-projects with reasons naming the file', () => {
    expect(loadProject({ version: 3 }, 'f.json')).toEqual({ ok: false, reason: 'f.json: project version 3 was written by a newer Crucible (this one reads up to 2)' });
    expect(loadProject([], 'f.json')).toEqual({ ok: false, reason: 'f.json: not a Crucible project (expected a JSON object)' });
    const base = { format: 'crucible-project', version: 2, name: 'x', nodes: [], edges: [] };
    const extra = loadProject({ ...base, secret: 1 }, 'f.json');
    expect(extra.ok).toBe(false);
    const dangling = loadProject({ ...base, edges: [{ id: 'e', source: 'a', sourceHandle: 'weights', target: 'b', targetHandle: 'base' }] }, 'f.json');
    expect(dangling.ok).toBe(false);
    if (!dangling.ok) expect(dangling.reason).toMatch(/^f\.json: invalid project: .*missing node 'a'/);
  });

  it('docs/project-schema.json is the schema generated from the validator (regenerate with npm run docs:schema)', () => {
    const committed = JSON.parse(readFileSync(fileURLToPath(new URL('../../../docs/project-schema.json', import.meta.url)), 'utf8'));
    expect(committed).toEqual(projectJsonSchema());
    expect(committed.properties.version).toEqual({ type: 'number', const: 2 });
  });

  it('a recipe lays out as a graph that compiles back to the same recipe', () => {
    const recipe: MergeRecipe = { mergeMethod: 'dare_ties', baseModel: 'b', models: [{ model: 'x', parameters: { weight: 0.5, density: 0.4 } }, { model: 'y', parameters: { weight: 0.5 } }], parameters: { lambda: 1.1 }, seed: 9 };
    const p = recipeToProject(recipe, { name: 'r', outFolder: '/o' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const c = compileOutput(p.project, 'output-1');
    expect(c.ok && c.job.recipe).toEqual(recipe);
  });
  it('a model+lora reference lays out as a LoRA node over its Model node feeding the merge, and compiles back to the same recipe', () => {
    const recipe: MergeRecipe = {
      mergeMethod: 'linear',
      models: [{ model: 'base', parameters: { weight: 0.3 } }, { model: 'base', lora: 'adapters/chat', parameters: { weight: 0.7 } }],
    };
    const p = recipeToProject(recipe, { name: 'r', outFolder: '/o' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.project.nodes.map((n) => n.data.kind).sort()).toEqual(['lora', 'merge', 'model', 'output']);
    expect(p.project.nodes.find((n) => n.data.kind === 'lora')?.data).toEqual({ kind: 'lora', adapter: 'adapters/chat', mode: 'model' });
    expect(p.project.edges.map((e) => `${e.source}.${e.sourceHandle}->${e.target}.${e.targetHandle}`).sort()).toEqual(
      ['lora-1.weights->merge-1.models', 'merge-1.weights->output-1.weights', 'model-1.weights->lora-1.base', 'model-1.weights->merge-1.models'].sort(),
    );
    const c = compileOutput(p.project, 'output-1');
    expect(c.ok && c.job.recipe).toEqual(recipe);
  });
});
