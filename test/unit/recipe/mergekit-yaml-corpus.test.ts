/** The 65 real recipes: each imports or fails with a located RecipeError; the known-broken ones precisely. */
import { describe, expect, it } from 'vitest';
import { parseMergekitYaml } from '../../../electron/engine/recipe/mergekit-yaml.js';
import { RecipeError } from '../../../electron/engine/recipe/recipe-error.js';
import { recipeFiles, recipeText } from './recipe-fixtures.js';

function importError(number: string): RecipeError {
  const { text, file } = recipeText(number);
  try {
    parseMergekitYaml(text, file);
  } catch (e) {
    if (e instanceof RecipeError) return e;
    throw e;
  }
  throw new Error(`recipe ${number} imported without an error`);
}

function importOk(number: string) {
  const { text, file } = recipeText(number);
  return parseMergekitYaml(text, file);
}

describe('the recipe corpus', () => {
  it('holds the 65 published recipes', () => {
    expect(recipeFiles()).toHaveLength(65);
  });

  it.each(recipeFiles().map((f) => f.slice(0, 3)))('recipe %s imports, or fails with a RecipeError naming file and line', (n) => {
    const { text, file } = recipeText(n);
    try {
      const r = parseMergekitYaml(text, file);
      expect(r.recipes.length).toBeGreaterThan(0);
      for (const recipe of r.recipes) expect(Boolean(recipe.models) !== Boolean(recipe.slices)).toBe(true);
    } catch (e) {
      expect(e).toBeInstanceOf(RecipeError);
      expect((e as RecipeError).file).toBe(file);
      expect((e as RecipeError).line).toBeGreaterThan(0);
    }
  });

  it('exactly the known-broken recipes fail', () => {
    const failing = recipeFiles()
      .map((f) => f.slice(0, 3))
      .filter((n) => {
        try {
          importOk(n);
          return false;
        } catch {
          return true;
        }
      });
    expect(failing).toEqual(['034', '036', '037', '048', '070']);
  });
});

describe('recipes that are not valid YAML report the line', () => {
  it('034: prose before the YAML', () => {
    const e = importError('034');
    expect(e.line).toBe(2);
    expect(e.message).toContain('not valid YAML');
    expect(e.message).toContain('034-task-arithmetic-with-prose-lora-notes.yaml:2:1');
  });

  it('036: two configs pasted together give a duplicate key at the second merge_method', () => {
    const e = importError('036');
    expect(e.line).toBe(16);
    expect(e.reason).toMatch(/duplicate key 'merge_method'/);
  });

  it('037: inconsistent indentation', () => {
    const e = importError('037');
    expect(e.line).toBe(15);
    expect(e.column).toBe(1);
  });
});

describe('valid YAML that is not a valid recipe', () => {
  it('048: a mergekit-moe config', () => {
    const e = importError('048');
    expect(e.reason).toBe('a mergekit-moe config, not a merge recipe: not supported');
    expect(e.line).toBe(4);
  });

  it('070: a model list without its models: key', () => {
    const e = importError('070');
    expect(e.reason).toMatch(/no `models:` or `slices:`/);
    expect(e.line).toBe(5);
  });

  it('020: the misindented parameters block is reported empty, and int8_mask as misplaced', () => {
    const { warnings } = importOk('020');
    const empty = warnings.find((w) => w.key === 'parameters');
    expect(empty?.line).toBe(19);
    expect(empty?.message).toMatch(/empty 'parameters' block/);
    const stray = warnings.find((w) => w.key === 'int8_mask');
    expect(stray?.line).toBe(20);
    expect(stray?.suggestion).toBe('parameters');
  });

  it('039: the empty parameters block and the stray t', () => {
    const r = importOk('039');
    expect(r.recipes[0].parameters).toBeUndefined();
    expect(r.warnings.find((w) => w.key === 'parameters')?.line).toBe(13);
    expect(r.warnings.find((w) => w.key === 't')?.line).toBe(14);
  });

  it('061: tokenzer_source warns and suggests tokenizer_source', () => {
    const { recipes, warnings } = importOk('061');
    const w = warnings.find((x) => x.key === 'tokenzer_source');
    expect(w?.suggestion).toBe('tokenizer_source');
    expect(w?.line).toBe(19);
    expect(w?.message).toContain("did you mean 'tokenizer_source'");
    expect(recipes[0].tokenizerSource).toBeUndefined();
  });
});

describe('recipes read as written', () => {
  it('001: gradients, conditionals, the base and the dtype', () => {
    const r = importOk('001').recipes[0];
    expect(r.mergeMethod).toBe('ties');
    expect(r.baseModel).toBe('TheBloke/Llama-2-13B-fp16');
    expect(r.dtype).toBe('float16');
    expect(r.models?.map((m) => m.model)).toEqual([
      'psmathur/orca_mini_v3_13b',
      'garage-bAInd/Platypus2-13B',
      'WizardLM/WizardMath-13B-V1.0',
    ]);
    expect(r.models?.[0].parameters).toEqual({ density: [1, 0.7, 0.1], weight: 1 });
    expect(r.models?.[2].parameters?.weight).toEqual([{ filter: 'mlp', value: 0.5 }, { value: 0 }]);
    expect(r.parameters).toEqual({ normalize: true, int8_mask: true });
  });

  it('002: slices with layer ranges and a conditional gradient t', () => {
    const r = importOk('002').recipes[0];
    expect(r.slices).toHaveLength(1);
    expect(r.slices?.[0].sources.map((s) => [s.model, s.layerRange])).toEqual([
      ['psmathur/orca_mini_v3_13b', [0, 40]],
      ['garage-bAInd/Platypus2-13B', [0, 40]],
    ]);
    expect(r.parameters?.t).toEqual([
      { filter: 'self_attn', value: [0, 0.5, 0.3, 0.7, 1] },
      { filter: 'mlp', value: [1, 0.5, 0.7, 0.3, 0] },
      { value: 0.5 },
    ]);
  });

  it('DARE and DELLA recipes get rescale_norm l1 (mergekit), other methods do not', () => {
    expect(importOk('046').recipes[0].parameters?.rescale_norm).toBe('l1');
    expect(importOk('014').recipes[0].parameters?.rescale_norm).toBe('l1');
    expect(importOk('001').recipes[0].parameters?.rescale_norm).toBeUndefined();
  });

  it('035: a multi-document recipe gives named stages', () => {
    const r = importOk('035').recipes;
    expect(r).toHaveLength(2);
    expect(r[0].name).toBe('4kmerge-v2');
    expect(r[1].models?.some((m) => m.model === '4kmerge-v2')).toBe(true);
  });

  it('072: model+lora references are split; the base keeps the reference as written', () => {
    const r = importOk('072').recipes[0];
    expect(r.models?.[0]).toEqual({ model: 'FreedomIntelligence/HuatuoGPT-o1-8B', lora: 'eeeebbb2/3aff0ea7-4262-4abb-97b1-1879f340d32e' });
    expect(r.baseModel).toBe('FreedomIntelligence/HuatuoGPT-o1-8B+grimjim/Llama-3-Instruct-abliteration-LoRA-8B');
  });

  it('057: the deprecated model: prefix of tokenizer_source is read with a warning', () => {
    const { recipes, warnings } = importOk('057');
    expect(recipes[0].tokenizerSource).toBe('cognitivecomputations/dolphin-2.2-70b');
    expect(warnings.some((w) => w.line === 48 && /deprecated/.test(w.message))).toBe(true);
  });

  it('063: a model reference with a stray " -" is flagged', () => {
    const { warnings } = importOk('063');
    expect(warnings.some((w) => w.line === 8 && w.message.includes("did you mean 'Hastagaras/Jamet-8B-L3-MK1'"))).toBe(true);
  });

  it('077: the tokenizer block, chat template and out_dtype; parameters the method lacks are warned about', () => {
    const { recipes, warnings } = importOk('077');
    expect(recipes[0].tokenizerSource).toBe('union');
    expect(recipes[0].chatTemplate).toBe('auto');
    expect(recipes[0].outDtype).toBe('bfloat16');
    expect(warnings.some((w) => w.key === 'smooth')).toBe(true);
    expect(warnings.some((w) => w.key === 'select_topk')).toBe(false);
    // mergekit's sce_merge takes int8_mask (accepted, as by the task-vector family: no numerical effect in float32).
    expect(warnings.some((w) => w.key === 'int8_mask')).toBe(false);
    expect(recipes[0].parameters?.int8_mask).toBe(true);
  });

  it('016 and 004: Windows paths and paths with spaces survive', () => {
    expect(importOk('016').recipes[0].baseModel).toBe('F:\\mergekit\\mistralaiMistral-Nemo-Base-2407');
    expect(importOk('004').recipes[0].models?.[0].model).toBe('D:/Uni/Masterarbeit Code/jakob_finetuning/finetuned_models/meta_llama_full_colab_remerge_2');
  });

  it('044: block-style layer ranges', () => {
    const r = importOk('044').recipes[0];
    expect(r.slices?.[6].sources[0].layerRange).toEqual([6, 8]);
    expect(r.slices).toHaveLength(69); // 69 `layer_range` keys in the file
  });
});
