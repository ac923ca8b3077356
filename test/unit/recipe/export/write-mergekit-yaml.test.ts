/** Recipes → new mergekit YAML: the text mergekit's own examples would have, and what imports back. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';
import { parsedRecipes } from '../recipe-fixtures.js';
import { compileOutput } from '../../../../common/graph/compile.js';
import { recipeToProject } from '../../../../common/graph/recipe-to-project.js';
import { outDtype } from '../../../../common/graph/recipe-output-node.js';
import { getMethod } from '../../../../common/methods/registry.js';
import type { ParamSpecMap } from '../../../../common/methods/types.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('exporting recipes as mergekit YAML', () => {
  it('writes a TIES merge from the editor in mergekit key order', () => {
    const recipe: MergeRecipe = {
      mergeMethod: 'ties',
      baseModel: '/models/base',
      models: [
        { model: '/models/math', parameters: { weight: 1, density: 0.5 } },
        { model: '/models/code', parameters: { weight: [0, 0.5, 1], density: 0.7 } },
      ],
      parameters: { normalize: false },
      outDtype: 'bfloat16',
    };
    const { text, warnings } = exportMergekitYaml([recipe]);
    expect(text).toBe(
      lines(
        'merge_method: ties',
        'base_model: /models/base',
        'models:',
        '  - model: /models/math',
        '    parameters:',
        '      weight: 1',
        '      density: 0.5',
        '  - model: /models/code',
        '    parameters:',
        '      weight: [0, 0.5, 1]',
        '      density: 0.7',
        'parameters:',
        '  normalize: false',
        'out_dtype: bfloat16',
      ),
    );
    expect(warnings).toEqual([]);
  });

  it("DARE: Crucible's default rescale rule is written out (mergekit reads an absent one as l1), and flagged", () => {
    const dare: MergeRecipe = { mergeMethod: 'dare_ties', baseModel: 'b', models: [{ model: 'a', parameters: { weight: 1, density: 0.5 } }], seed: 42 };
    const fromGraph = exportMergekitYaml([dare]);
    expect(fromGraph.text).toContain('parameters:\n  rescale_norm: inverse\n');
    // mergekit has no seed key (its seed is the --random-seed flag): a comment says it, and Crucible reads it back.
    expect(fromGraph.text).toMatch(/^# crucible seed: 42 — pass --random-seed 42 to mergekit\n/);
    expect(fromGraph.text).not.toContain('random_seed');
    expect(parseMergekitYaml(fromGraph.text, 'r.yaml').recipes[0].seed).toBe(42);
    expect(fromGraph.warnings).toHaveLength(1);
    expect(fromGraph.warnings[0]).toMatch(/mergekit ignores it/);
    // Imported back, the recipe rescales as it did in the editor.
    expect(parseMergekitYaml(fromGraph.text, 'r.yaml').recipes[0].parameters?.rescale_norm).toBe('inverse');

    const mergekitRule = exportMergekitYaml([{ ...dare, parameters: { rescale_norm: 'l1' } }]);
    expect(mergekitRule.text).not.toContain('rescale_norm');
    expect(mergekitRule.text).not.toMatch(/^parameters:/m);
    expect(mergekitRule.warnings).toEqual([]);
  });

  it('writes values as PyYAML (YAML 1.1) reads them: floats with a dot before the exponent, yes/on quoted', () => {
    const recipe: MergeRecipe = {
      mergeMethod: 'multislerp',
      models: [{ model: 'on', parameters: { weight: 1 } }, { model: 'org/b', parameters: { weight: 2.5e-7 } }],
      parameters: { eps: 1e-8 },
      name: 'yes',
      chatTemplate: "{% for m in messages %}\n{{ m['content'] }}\n{% endfor %}",
    };
    const { text } = exportMergekitYaml([recipe]);
    expect(text).toContain('name: "yes"\n');
    expect(text).toContain('  - model: "on"\n');
    expect(text).toContain('      weight: 2.5e-7\n');
    expect(text).toContain('  eps: 1.0e-8\n');
    // A YAML 1.1 reader (PyYAML's rules) sees the same values.
    const asPyyaml = parse(text, { version: '1.1' }) as Record<string, unknown>;
    expect(asPyyaml.name).toBe('yes');
    expect((asPyyaml.parameters as Record<string, unknown>).eps).toBe(1e-8);
    expect((asPyyaml.models as { model: unknown }[])[0].model).toBe('on');
    expect(asPyyaml.chat_template).toBe(recipe.chatTemplate);
  });

  it('writes slices with layer ranges, filtered parameters, LoRA references and stages', () => {
    const first: MergeRecipe = {
      name: 'stage-one',
      mergeMethod: 'slerp',
      baseModel: 'org/a+org/lora',
      slices: [
        {
          sources: [
            { model: 'org/a', lora: 'org/lora', layerRange: [0, 4] },
            { model: 'org/b', layerRange: [0, 4] },
          ],
        },
      ],
      parameters: { t: [{ filter: 'self_attn', value: [0, 1] }, { value: 0.5 }] },
    };
    const second: MergeRecipe = { mergeMethod: 'linear', models: [{ model: 'stage-one' }, { model: 'org/c' }], tokenizerSource: 'base' };
    const { text } = exportMergekitYaml([first, second]);
    expect(text).toBe(
      lines(
        'name: stage-one',
        'merge_method: slerp',
        'base_model: org/a+org/lora',
        'slices:',
        '  - sources:',
        '      - model: org/a+org/lora',
        '        layer_range: [0, 4]',
        '      - model: org/b',
        '        layer_range: [0, 4]',
        'parameters:',
        '  t:',
        '    - filter: self_attn',
        '      value: [0, 1]',
        '    - value: 0.5',
        '---',
        'merge_method: linear',
        'models:',
        '  - model: stage-one',
        '  - model: org/c',
        'tokenizer_source: base',
      ),
    );
    expect(parseMergekitYaml(text, 'r.yaml').recipes).toEqual([first, second]);
  });

  it('every published recipe Crucible imports is exported so that it imports again as the same recipe', () => {
    let count = 0;
    for (const { name: f, text, file, recipes } of parsedRecipes()) {
      count++;
      const exported = exportMergekitYaml(recipes);
      expect(parseMergekitYaml(exported.text, file).recipes, f).toEqual(recipes);
    }
    expect(count).toBe(60);
  });

  /** What a slices recipe does: method, base (merged, or the donor only when the method merges none), each source's model and layers, the parameters the method reads at each level, the output dtype, tokenizer source and chat template. */
  function slicesSemantics(r: MergeRecipe) {
    const method = getMethod(r.mergeMethod)!;
    const read = (p: ParamSpecMap | undefined, scopes: string[]) => Object.fromEntries(method.params.filter((d) => scopes.includes(d.scope) && p?.[d.name] !== undefined).map((d) => [d.name, p![d.name]]));
    const dtype = (r.outDtype ?? r.dtype ?? 'auto').replace(/^fp16$/, 'float16').replace(/^bf16$/, 'bfloat16').replace(/^fp32$/, 'float32');
    return {
      method: method.id,
      base: r.baseModel,
      params: read(r.parameters, ['model', 'global']),
      slices: r.slices!.map((s) => ({
        params: read(s.parameters, ['model', 'global']),
        sources: s.sources.map((src) => ({ model: src.model, lora: src.lora, layers: src.layerRange, params: read(src.parameters, ['model']), fisher: method.id === 'fisher' ? src.fisher : undefined })),
      })),
      dtype,
      // Kept on the Output node (022: union, 057: a model's tokenizer).
      tokenizerSource: r.tokenizerSource,
      chatTemplate: r.chatTemplate,
    };
  }

  function graphOf(recipe: MergeRecipe, file: string) {
    const laid = recipeToProject(recipe, { name: 'r', outFolder: '/out' });
    if (!laid.ok) throw new Error(`${file}: ${laid.reason}`);
    const c = compileOutput(laid.project, 'output-1');
    if (!c.ok) throw new Error(`${file}: ${c.reason}`);
    return { project: laid.project, recipe: c.job.recipe };
  }

  it("every published models: recipe, imported as a graph and exported, keeps its top-level parameters as written (per-model ones included: every model's default), its dtype and its out_dtype", () => {
    const checked: string[] = [];
    const bothDtypes: string[] = [];
    for (const { name: f, text, file, recipes } of parsedRecipes()) {
      if (recipes.length !== 1 || recipes[0].slices) continue;
      const method = getMethod(recipes[0].mergeMethod)!;
      const declared = (p: ParamSpecMap | undefined) => Object.fromEntries(method.params.filter((d) => p?.[d.name] !== undefined).map((d) => [d.name, p![d.name]]));
      const perModel = method.params.filter((d) => d.scope === 'model' && recipes[0].parameters?.[d.name] !== undefined);
      if (perModel.length > 0) checked.push(f.slice(0, 3));
      const again = parseMergekitYaml(exportMergekitYaml([graphOf(recipes[0], f).recipe]).text, file).recipes;
      expect(declared(again[0].parameters), f).toEqual(declared(recipes[0].parameters));
      // dtype (what mergekit merges in) kept as written; out_dtype kept where it says more than
      // dtype (mergekit's out_dtype defaults to dtype: 077 writes both, equal, and gets dtype alone).
      expect(again[0].dtype, f).toBe(recipes[0].dtype);
      const { outDtype: out, dtype } = recipes[0];
      expect(again[0].outDtype, f).toBe(out !== undefined && dtype !== undefined && outDtype(out) === outDtype(dtype) ? undefined : out);
      if (out !== undefined && dtype !== undefined) bothDtypes.push(f.slice(0, 3));
    }
    // The corpus's recipes with a per-model parameter (weight, density, ...) at the top level.
    expect(checked).toEqual(['014', '015', '016', '033', '038', '062', '078', '079']);
    expect(bothDtypes).toEqual(['014', '015', '077']);
  });

  it('every published slices recipe, imported as a Layer assembly graph, exports and imports again as the same graph and the same merge', () => {
    const checked: string[] = [];
    for (const { name: f, text, file, recipes } of parsedRecipes()) {
      if (recipes.length !== 1 || !recipes[0].slices) continue;
      checked.push(f.slice(0, 3));
      const first = graphOf(recipes[0], f);
      expect(first.project.nodes.some((n) => n.data.kind === 'layerAssembly'), f).toBe(true);
      expect(slicesSemantics(first.recipe), f).toEqual(slicesSemantics(recipes[0]));
      const yaml = exportMergekitYaml([first.recipe]).text;
      const again = parseMergekitYaml(yaml, file).recipes;
      expect(again, f).toHaveLength(1);
      const second = graphOf(again[0], f);
      expect(second.project, f).toEqual(first.project);
      expect(second.recipe, f).toEqual(first.recipe);
      expect(slicesSemantics(again[0]), f).toEqual(slicesSemantics(recipes[0]));
    }
    // Every slices recipe of the corpus but 037 (not valid YAML as published); 007 has its slices commented out.
    expect(checked).toEqual(['002', '003', '011', '017', '019', '022', '026', '027', '031', '032', '039', '042', '043', '044', '045', '057', '064', '073']);
  });
});

