/**
 * Issue 4: what a mergekit YAML export cannot express, each kind of gap against hand-written
 * expectations, and the gaps written as comments (the file still parses to the same recipes).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { graphExportGaps } from '../../../../common/graph/export-gaps.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { withGapComments, withoutGapComments } from '../../../../electron/engine/recipe/export/gap-comments.js';
import { recipeGaps } from '../../../../electron/engine/recipe/export/recipe-gaps.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';
import { jobExportGaps } from '../../../../electron/service/export-gaps.js';
import { edge, graph, merge, model, node, output } from '../../graph/build.js';

const two = [{ model: '/m/a', parameters: { weight: 0.5, density: 0.5 } }, { model: '/m/b', parameters: { weight: 0.5, density: 0.5 } }];

describe('recipe settings mergekit cannot express', () => {
  it('a plain linear or slerp merge has none', () => {
    expect(recipeGaps([{ mergeMethod: 'linear', models: [{ model: '/m/a', parameters: { weight: 1 } }, { model: '/m/b', parameters: { weight: 1 } }] }])).toEqual([]);
    expect(recipeGaps([{ mergeMethod: 'slerp', baseModel: '/m/a', models: [{ model: '/m/a' }, { model: '/m/b' }], parameters: { t: 0.5 } }])).toEqual([]);
  });

  it("DARE with rescale_norm 'inverse' (explicit or Crucible's default) is a gap; 'l1' (mergekit's rule) is not", () => {
    const dare = (rescale?: string): MergeRecipe => ({ mergeMethod: 'dare_ties', baseModel: '/m/base', models: two, parameters: rescale ? { rescale_norm: rescale } : {} });
    const inverse = recipeGaps([dare('inverse')]);
    expect(inverse).toHaveLength(1);
    expect(inverse[0]).toMatch(/rescale_norm 'inverse'/);
    expect(inverse[0]).toMatch(/mergekit/);
    expect(recipeGaps([dare()])).toHaveLength(1);
    expect(recipeGaps([dare('l1')])).toEqual([]);
  });

  it("TIES consensus 'count' is a gap; 'sum' (mergekit's) is not", () => {
    const ties = (consensus: string): MergeRecipe => ({ mergeMethod: 'ties', baseModel: '/m/base', models: two, parameters: { consensus } });
    const count = recipeGaps([ties('count')]);
    expect(count).toHaveLength(1);
    expect(count[0]).toMatch(/consensus 'count'/);
    expect(recipeGaps([ties('sum')])).toEqual([]);
  });

  it('Fisher merging and Fisher inputs are gaps', () => {
    const gaps = recipeGaps([{ mergeMethod: 'fisher', models: [{ model: '/m/a', fisher: '/f/a' }, { model: '/m/b', fisher: '/f/b' }] }]);
    expect(gaps).toHaveLength(2);
    expect(gaps[0]).toMatch(/Fisher merging/);
    expect(gaps[1]).toMatch(/Fisher files/);
  });

  it("a chain's earlier stage is named in its gaps", () => {
    const gaps = recipeGaps([
      { name: 'first', mergeMethod: 'ties', baseModel: '/m/base', models: two, parameters: { consensus: 'count' } },
      { mergeMethod: 'linear', models: [{ model: 'first', parameters: { weight: 1 } }, { model: '/m/c', parameters: { weight: 1 } }] },
    ]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0].startsWith("stage 'first': ")).toBe(true);
  });
});

describe('Crucible-only nodes in the graph', () => {
  it('an Align node and a Fisher estimate node are gaps naming the node and its settings; a Fisher file node is not', () => {
    const g = graph();
    model(g, 'a');
    model(g, 'b');
    node(g, 'al', { kind: 'align', folder: '/aligned-b', seed: 3, maxSweeps: 10 });
    node(g, 'fa', { kind: 'fisher', source: 'estimate', file: '/f/a.safetensors', texts: [{ kind: 'bundled', name: 'prose.txt' }] });
    node(g, 'fb', { kind: 'fisher', source: 'file', file: '/f/b.safetensors', texts: [] });
    merge(g, 'm', 'fisher');
    output(g, 'o');
    edge(g, 'a', 'al', 'reference');
    edge(g, 'b', 'al', 'model');
    edge(g, 'a', 'fa', 'model');
    edge(g, 'al', 'fb', 'model', 'weights');
    edge(g, 'a', 'm', 'models');
    edge(g, 'al', 'm', 'models', 'weights');
    edge(g, 'fa', 'm', 'fishers', 'fisher');
    edge(g, 'fb', 'm', 'fishers', 'fisher');
    edge(g, 'm', 'o', 'weights');
    const gaps = graphExportGaps(g, 'o');
    expect(gaps.map((x) => x.nodeId).sort()).toEqual(['al', 'fa']);
    const align = gaps.find((x) => x.nodeId === 'al')!.message;
    expect(align).toMatch(/Re-Basin/);
    expect(align).toContain("'/aligned-b'");
    expect(align).toContain('seed 3');
    expect(align).toContain('max sweeps 10');
    const fisher = gaps.find((x) => x.nodeId === 'fa')!.message;
    expect(fisher).toMatch(/Fisher estimate/);
    expect(fisher).toContain("'/f/a.safetensors'");
    expect(fisher).toContain('prose.txt');
  });

  it('a graph of models and a linear merge has none', () => {
    const g = graph();
    model(g, 'a');
    model(g, 'b');
    merge(g, 'm', 'linear');
    output(g, 'o');
    edge(g, 'a', 'm', 'models');
    edge(g, 'b', 'm', 'models');
    edge(g, 'm', 'o', 'weights');
    expect(graphExportGaps(g, 'o')).toEqual([]);
  });

  it("the service's gaps put a recipe's gap on its merge node", () => {
    const job = { recipe: { mergeMethod: 'ties', baseModel: '/m/base', models: two, parameters: { consensus: 'count' } }, recipeDir: '/', out: '/out', force: false, mergeNodeId: 'm1' };
    const gaps = jobExportGaps(job);
    expect(gaps).toHaveLength(1);
    expect(gaps[0].nodeId).toBe('m1');
  });
});

describe('gaps written as comments', () => {
  const recipe: MergeRecipe = { mergeMethod: 'dare_ties', baseModel: '/m/base', models: two, parameters: { rescale_norm: 'inverse' } };
  const plain = exportMergekitYaml([recipe]).text;

  it("adds '# crucible:' lines; the YAML parses to the same value and imports to the same recipe", () => {
    const gaps = ['DARE: rescale_norm inverse is not mergekit', 'Align node al: seed 3\nmax sweeps 10'];
    const commented = withGapComments(plain, gaps);
    expect(commented).toContain('# crucible: DARE: rescale_norm inverse is not mergekit\n');
    expect(commented).toContain('# crucible: max sweeps 10\n');
    expect(commented.endsWith(plain)).toBe(true);
    expect(parse(commented)).toEqual(parse(plain));
    expect(parseMergekitYaml(commented, 'r.yaml').recipes).toEqual(parseMergekitYaml(plain, 'r.yaml').recipes);
  });

  it('a second export replaces the previous comments rather than piling them up; no gaps writes none', () => {
    const once = withGapComments(plain, ['first reason']);
    const twice = withGapComments(once, ['second reason']);
    expect(twice).not.toContain('first reason');
    expect(twice.match(/# crucible:/g)).toHaveLength(2);
    expect(withoutGapComments(twice)).toBe(plain);
    expect(withGapComments(plain, [])).toBe(plain);
  });
});
