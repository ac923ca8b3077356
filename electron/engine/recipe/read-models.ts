/** The `models:` list and the `slices:` list of a mergekit recipe. */
import { isScalar, type Node } from 'yaml';
import type { MethodDescriptor } from '../../../common/methods/types.js';
import type { ModelSpec, SliceSource, SliceSpec } from '../../../common/recipe/types.js';
import type { ImportContext } from './import-context.js';
import { MODEL_ENTRY_KEYS, SLICE_KEYS, SLICE_SOURCE_KEYS } from './mergekit-keys.js';
import { splitLoraRef, suspiciousRefReason } from './model-reference.js';
import { nearestName } from './nearest-name.js';
import { readParameters } from './read-parameters.js';
import { keyOf, pairsOf, readInteger, readMap, readSeq, readString, type YamlPair } from './yaml-nodes.js';

/** A model reference (`model+lora` split), warning on likely typos. */
export function readModelRef(ctx: ImportContext, node: Node | null, at: Node): { model: string; lora?: string } {
  const ref = readString(ctx, node, 'a model reference', at);
  const split = splitLoraRef(ref);
  if (!split) return ctx.fail(node, `model reference '${ref}' has more than one '+' (expected model or model+lora)`);
  const reason = suspiciousRefReason(ref);
  if (reason) ctx.warn(node, `model reference '${ref}' ${reason}`);
  return split;
}

export function warnUnknownKey(ctx: ImportContext, pair: YamlPair, known: readonly string[], where: string): void {
  const key = keyOf(pair);
  const suggestion = nearestName(key, known);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  ctx.warn(pair.key, `unknown key '${key}' in ${where}: it is ignored${hint}`, { key, suggestion });
}

export function readModels(ctx: ImportContext, method: MethodDescriptor, keyNode: Node, node: Node | null): ModelSpec[] {
  const items = readSeq(ctx, node, "'models'", keyNode);
  if (items.length === 0) ctx.fail(node ?? keyNode, "'models' is an empty list");
  return items.map((item) => readModelEntry(ctx, method, item ?? keyNode));
}

function readModelEntry(ctx: ImportContext, method: MethodDescriptor, item: Node): ModelSpec {
  if (isScalar(item)) return readModelRef(ctx, item, item);
  const map = readMap(ctx, item, 'a models entry', item);
  let spec: ModelSpec | undefined;
  let parameters: ModelSpec['parameters'];
  let fisher: string | undefined;
  for (const pair of pairsOf(map)) {
    const key = keyOf(pair);
    if (key === 'model') spec = readModelRef(ctx, pair.value, pair.key);
    else if (key === 'parameters') parameters = readParameters(ctx, method, pair.key, pair.value, 'model');
    else if (key === 'fisher') fisher = readString(ctx, pair.value, 'a Fisher file path', pair.key);
    else warnUnknownKey(ctx, pair, MODEL_ENTRY_KEYS, 'a models entry');
  }
  if (!spec) return ctx.fail(item, "a models entry has no 'model' key");
  return { ...spec, ...(fisher !== undefined ? { fisher } : {}), ...(parameters ? { parameters } : {}) };
}

export function readSlices(ctx: ImportContext, method: MethodDescriptor, keyNode: Node, node: Node | null): SliceSpec[] {
  const items = readSeq(ctx, node, "'slices'", keyNode);
  if (items.length === 0) ctx.fail(node ?? keyNode, "'slices' is an empty list");
  return items.map((item) => {
    const map = readMap(ctx, item, 'a slice', item ?? keyNode);
    let sources: SliceSource[] | undefined;
    let parameters: SliceSpec['parameters'];
    for (const pair of pairsOf(map)) {
      const key = keyOf(pair);
      if (key === 'sources') sources = readSources(ctx, method, pair.key, pair.value);
      else if (key === 'parameters') parameters = readParameters(ctx, method, pair.key, pair.value, 'slice');
      else warnUnknownKey(ctx, pair, SLICE_KEYS, 'a slice');
    }
    if (!sources) return ctx.fail(map, "a slice has no 'sources' list");
    return parameters ? { sources, parameters } : { sources };
  });
}

function readSources(ctx: ImportContext, method: MethodDescriptor, keyNode: Node, node: Node | null): SliceSource[] {
  const items = readSeq(ctx, node, "'sources'", keyNode);
  if (items.length === 0) ctx.fail(node ?? keyNode, "'sources' is an empty list");
  return items.map((item) => {
    const map = readMap(ctx, item, 'a slice source', item ?? keyNode);
    let ref: { model: string; lora?: string } | undefined;
    let layerRange: [number, number] | undefined;
    let parameters: SliceSource['parameters'];
    let fisher: string | undefined;
    for (const pair of pairsOf(map)) {
      const key = keyOf(pair);
      if (key === 'model') ref = readModelRef(ctx, pair.value, pair.key);
      else if (key === 'layer_range') layerRange = readLayerRange(ctx, pair.key, pair.value);
      else if (key === 'parameters') parameters = readParameters(ctx, method, pair.key, pair.value, 'model');
      else if (key === 'fisher') fisher = readString(ctx, pair.value, 'a Fisher file path', pair.key);
      else warnUnknownKey(ctx, pair, SLICE_SOURCE_KEYS, 'a slice source');
    }
    if (!ref) return ctx.fail(map, "a slice source has no 'model' key");
    if (!layerRange) return ctx.fail(map, `slice source '${ref.model}' has no 'layer_range: [start, end]'`);
    return { ...ref, layerRange, ...(fisher !== undefined ? { fisher } : {}), ...(parameters ? { parameters } : {}) };
  });
}

function readLayerRange(ctx: ImportContext, keyNode: Node, node: Node | null): [number, number] {
  const items = readSeq(ctx, node, "'layer_range'", keyNode);
  if (items.length !== 2) ctx.fail(node ?? keyNode, "'layer_range' must be [start, end]");
  const start = readInteger(ctx, items[0], "'layer_range' start", keyNode);
  const end = readInteger(ctx, items[1], "'layer_range' end", keyNode);
  if (end <= start) ctx.fail(node ?? keyNode, `'layer_range' [${start}, ${end}] is empty: the end must be greater than the start (it is exclusive)`);
  return [start, end];
}
