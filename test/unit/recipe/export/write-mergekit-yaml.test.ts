/** Recipes → new mergekit YAML: the text mergekit's own examples would have, and what imports back. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { exportMergekitYaml } from '../../../../electron/engine/recipe/export/export-mergekit-yaml.js';
import { parseMergekitYaml } from '../../../../electron/engine/recipe/mergekit-yaml.js';
import { recipeFiles, recipeText } from '../recipe-fixtures.js';

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
    expect(fromGraph.text).toContain('random_seed: 42\n');
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
    for (const f of recipeFiles()) {
      const { text, file } = recipeText(f.slice(0, 3));
      let recipes: MergeRecipe[];
      try {
        recipes = parseMergekitYaml(text, file).recipes;
      } catch {
        continue;
      }
      count++;
      const exported = exportMergekitYaml(recipes);
      expect(parseMergekitYaml(exported.text, file).recipes, f).toEqual(recipes);
    }
    expect(count).toBe(60);
  });
});
