/**
 * One mergekit YAML document → MergeRecipe (common/recipe/types.ts), following mergekit 0.1.4's
 * MergeConfiguration: what it rejects is a RecipeError at the line concerned, what it silently
 * ignores (typo keys, empty blocks, unknown parameters) is a warning here.
 */
import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import { UNSUPPORTED_METHODS, getMethod, isMethodId, METHODS } from '../../../common/methods/registry.js';
import type { MethodDescriptor } from '../../../common/methods/types.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import type { ImportContext } from './import-context.js';
import { MOE_KEYS, TOKENIZER_KEYS, TOP_LEVEL_KEYS } from './mergekit-keys.js';
import { nearestName } from './nearest-name.js';
import { readModelRef, readModels, readSlices, warnUnknownKey } from './read-models.js';
import { readParameters } from './read-parameters.js';
import { isNullNode, keyOf, pairsOf, readInteger, readMap, readString, type YamlPair } from './yaml-nodes.js';

export function recipeFromDocument(ctx: ImportContext, doc: Document.Parsed): MergeRecipe {
  const root = doc.contents as Node | null;
  if (!root || !isMap(root)) return ctx.fail(root, 'a recipe must be a mapping of keys (merge_method, models, ...), not a list or a text');
  const pairs = new Map(pairsOf(root).map((p) => [keyOf(p), p]));
  const moePair = pairsOf(root).find((p) => MOE_KEYS.includes(keyOf(p)));
  if (moePair) return ctx.fail(moePair.key, 'a mergekit-moe config, not a merge recipe: not supported');
  const method = readMethod(ctx, root, pairs.get('merge_method'));

  const recipe: MergeRecipe = { mergeMethod: method.id };
  for (const pair of pairsOf(root)) readTopLevelKey(ctx, method, recipe, pair);

  if (recipe.models && recipe.slices) {
    ctx.fail(pairs.get('slices')!.key, "a recipe has either 'models:' or 'slices:', not both");
  }
  if (!recipe.models && !recipe.slices) ctx.fail(root, "the recipe has neither 'models:' nor 'slices:': there is nothing to merge");
  // mergekit's DARE and DELLA rescale survivors by the L1 norm ratio; the editor's default is 'inverse'.
  if (method.random && recipe.parameters?.rescale_norm === undefined) {
    recipe.parameters = { ...recipe.parameters, rescale_norm: 'l1' };
  }
  return recipe;
}

function readMethod(ctx: ImportContext, root: YAMLMap, pair: YamlPair | undefined): MethodDescriptor {
  if (!pair) return ctx.fail(root, "no 'merge_method' key: which method should merge these models?");
  const name = readString(ctx, pair.value, "'merge_method'", pair.key);
  const unsupported = UNSUPPORTED_METHODS[name];
  if (unsupported) return ctx.fail(pair.value, unsupported);
  if (!isMethodId(name)) {
    const suggestion = nearestName(name, METHODS.map((m) => m.mergekitName));
    return ctx.fail(pair.value, `unknown merge method '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`);
  }
  return getMethod(name)!;
}

function readTopLevelKey(ctx: ImportContext, method: MethodDescriptor, recipe: MergeRecipe, pair: YamlPair): void {
  const at = pair.key;
  switch (keyOf(pair)) {
    case 'merge_method':
      return;
    case 'base_model': {
      const ref = readModelRef(ctx, pair.value, at);
      recipe.baseModel = ref.lora === undefined ? ref.model : `${ref.model}+${ref.lora}`;
      return;
    }
    case 'models':
      recipe.models = readModels(ctx, method, at, pair.value);
      return;
    case 'slices':
      recipe.slices = readSlices(ctx, method, at, pair.value);
      return;
    case 'parameters': {
      const p = readParameters(ctx, method, at, pair.value, 'global');
      if (p) recipe.parameters = p;
      return;
    }
    case 'dtype':
      recipe.dtype = readString(ctx, pair.value, "'dtype'", at);
      warnComputeDtype(ctx, recipe.dtype, pair.value);
      return;
    case 'out_dtype':
      recipe.outDtype = readString(ctx, pair.value, "'out_dtype'", at);
      return;
    case 'tokenizer_source':
      setTokenizerSource(ctx, recipe, pair.value, at);
      return;
    case 'tokenizer':
      readTokenizerBlock(ctx, recipe, pair);
      return;
    case 'chat_template':
      recipe.chatTemplate = readString(ctx, pair.value, "'chat_template'", at);
      return;
    case 'name':
      recipe.name = readString(ctx, pair.value, "'name'", at);
      return;
    case 'random_seed':
    case 'seed':
      recipe.seed = readInteger(ctx, pair.value, `'${keyOf(pair)}'`, at, 0xffffffff);
      return;
    default:
      if (method.params.some((p) => p.name === keyOf(pair))) {
        ctx.warn(at, `'${keyOf(pair)}' is a parameter of ${method.mergekitName} but stands at the top level, where it is ignored: indent it under 'parameters:'`, {
          key: keyOf(pair),
          suggestion: 'parameters',
        });
      } else warnUnknownKey(ctx, pair, TOP_LEVEL_KEYS, 'the recipe');
  }
}

/**
 * mergekit loads and merges in `dtype`; Crucible computes in float32 and rounds once on output
 * (spec §0). Said once per file, for the half-precision dtypes where the results differ.
 */
function warnComputeDtype(ctx: ImportContext, dtype: string, at: Node | null): void {
  const half = ({ bfloat16: 'bfloat16', bf16: 'bfloat16', float16: 'float16', fp16: 'float16' } as Record<string, string>)[dtype.toLowerCase()];
  if (half === undefined || ctx.warnings.some((w) => w.key === 'dtype')) return;
  ctx.warn(
    at,
    `dtype '${dtype}': mergekit loads and merges the models in ${half}; Crucible computes in float32 and rounds once to the output dtype, so its result can differ from mergekit's in the last bits`,
    { key: 'dtype' },
  );
}

function setTokenizerSource(ctx: ImportContext, recipe: MergeRecipe, node: Node | null, at: Node): void {
  if (recipe.tokenizerSource !== undefined) ctx.fail(at, "both 'tokenizer_source' and 'tokenizer: source' are set: keep one");
  let source = readString(ctx, node, 'the tokenizer source', at);
  if (source.startsWith('model:')) {
    source = source.slice('model:'.length);
    ctx.warn(node, `'model:${source}' is mergekit's deprecated spelling of a tokenizer source: read as '${source}'`);
  }
  recipe.tokenizerSource = source;
}

function readTokenizerBlock(ctx: ImportContext, recipe: MergeRecipe, pair: YamlPair): void {
  if (isNullNode(pair.value)) {
    ctx.warn(pair.key, "empty 'tokenizer' block: it is ignored", { key: 'tokenizer' });
    return;
  }
  const map = readMap(ctx, pair.value, "'tokenizer'", pair.key);
  for (const p of pairsOf(map)) {
    const key = keyOf(p);
    if (key === 'source') setTokenizerSource(ctx, recipe, p.value, p.key);
    else if (TOKENIZER_KEYS.includes(key)) ctx.warn(p.key, `'tokenizer: ${key}' is not supported yet: it is ignored`, { key });
    else warnUnknownKey(ctx, p, TOKENIZER_KEYS, "the 'tokenizer' block");
  }
}
