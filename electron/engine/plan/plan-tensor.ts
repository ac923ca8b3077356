/**
 * One output tensor's task: which inputs have it, copy or merge, shape agreement, complete
 * parameters and the kernel's own validation (spec §0–§1). Problems go to the list; the tensor is
 * then left out (the plan is refused anyway).
 */
import type { MethodDescriptor } from '../../../common/methods/types.js';
import type { MergeRecipe } from '../../../common/recipe/types.js';
import { isFloatDtype, type FloatDtype } from '../io/dtype.js';
import type { CheckpointInfo } from '../io/types.js';
import type { MethodKernel } from '../methods/kernel.js';
import type { SourceRef, TensorPlan } from './types.js';
import type { OutputTensorSpec, SourceTensor } from './output-tensors.js';
import type { PlanNotes } from './plan-notes.js';
import type { ProblemList } from './problem-list.js';
import { reconcileShapes } from './reconcile-shapes.js';
import { isNeverMerged, isVocabEmbedding, splitLayerName, withLayer } from './tensor-names.js';
import { resolveTensorParams } from './tensor-params.js';

export interface TensorPlanContext {
  recipe: MergeRecipe;
  method: MethodDescriptor;
  kernel?: MethodKernel;
  /** The method merges onto a base (the slice's source flagged isBase). */
  usesBase: boolean;
  recipeDtype?: FloatDtype;
  problems: ProblemList;
  notes: PlanNotes;
  /** Fisher files by their reference as written (ModelSpec.fisher), for Fisher merging. */
  fisherFiles: ReadonlyMap<string, CheckpointInfo>;
}

type Found = SourceTensor & { found: NonNullable<ReturnType<SourceTensor['source']['model']['tensor']>> };

export function planTensor(spec: OutputTensorSpec, ctx: TensorPlanContext): TensorPlan | undefined {
  const { name } = spec;
  const have: Found[] = [];
  for (const input of spec.inputs) {
    const found = input.source.model.tensor(input.inputName);
    if (found) have.push({ ...input, found });
    else if (!(ctx.usesBase && input.source.isBase)) ctx.notes.missingFrom(input.source.key, name);
  }
  const base = ctx.usesBase ? have.find((h) => h.source.isBase) : undefined;
  if (ctx.usesBase && !base) {
    const baseKey = spec.inputs.find((i) => i.source.isBase)?.source.key;
    ctx.problems.add({ message: `tensor '${name}' is missing from the base model '${baseKey}', which ${ctx.method.mergekitName} merges onto`, tensor: name, model: baseKey }, `nobase|${layerless(name)}`);
    return undefined;
  }
  const primary = base ?? have[0];
  const primaryDtype = primary.found.info.dtype;
  // Integer (or bool) tensors are copied, float ones merged: one of each under one name is neither.
  const odd = have.find((h) => isFloatDtype(h.found.info.dtype) !== isFloatDtype(primaryDtype) || (!isFloatDtype(primaryDtype) && h.found.info.dtype !== primaryDtype));
  if (odd) {
    ctx.problems.add(
      {
        message: `tensor '${name}' is ${primaryDtype} in '${primary.source.key}' but ${odd.found.info.dtype} in '${odd.source.key}': an integer or bool tensor cannot be merged with a float one`,
        tensor: name,
        model: odd.source.key,
      },
      `dtype|${odd.source.key}|${layerless(name)}`,
    );
    return undefined;
  }
  const outDtype: FloatDtype = ctx.recipeDtype ?? (isFloatDtype(primaryDtype) ? primaryDtype : 'F32');
  const common = { name, method: ctx.method.id, layer: spec.layer, outDtype };
  if (!isFloatDtype(primaryDtype) || isNeverMerged(name)) {
    return { ...common, models: [], modelParams: [], global: {}, copyFrom: ref(primary) };
  }

  const shapes = reconcileShapes(name, have.map((h) => ({ key: h.source.key, info: h.found.info })), isVocabEmbedding(name));
  if (!shapes.ok) {
    ctx.problems.add(shapes.problem);
    return undefined;
  }
  if (shapes.rows !== undefined) {
    const sizes = have.map((h) => `${h.found.info.shape[0]} in '${h.source.key}'`).join(', ');
    ctx.notes.vocabCut(`vocabularies differ for '${name}' (${sizes}): cut to the smallest, ${shapes.rows} rows`);
  }
  const models = have.filter((h) => !h.source.isBase || !ctx.usesBase);
  if (models.length === 0) {
    ctx.notes.onlyInBase(name);
    return withCopy({ ...common, models: [ref(primary)], modelParams: [{ scale: 1 }], global: {}, method: 'passthrough', rows: shapes.rows }, primaryDtype);
  }

  const params = resolveTensorParams(
    {
      method: ctx.method,
      globalParams: ctx.recipe.parameters,
      sliceParams: spec.slice.parameters,
      outputName: name,
      t: spec.t,
      models,
    },
    ctx.problems,
  );
  if (!params.ok) return undefined;
  const shape = [...primary.found.info.shape];
  if (shapes.rows !== undefined) shape[0] = shapes.rows;
  if (!kernelAccepts(ctx, name, models, params.modelParams, params.global, base !== undefined, shape)) return undefined;

  const fisher = ctx.method.id === 'fisher' ? fisherRefs(name, models, ctx) : undefined;
  if (fisher === null) return undefined;

  const plan: TensorPlan = {
    ...common,
    base: base ? ref(base) : undefined,
    models: models.map(ref),
    modelParams: params.modelParams,
    ...(fisher ? { fisher } : {}),
    global: params.global,
    ...(shapes.rows !== undefined ? { rows: shapes.rows } : {}),
  };
  return ctx.method.id === 'passthrough' ? withCopy(plan, primaryDtype) : plan;
}

/** Each model's Fisher tensor (same stored name and shape as the model's), or null after adding the problems. */
function fisherRefs(name: string, models: Found[], ctx: TensorPlanContext): SourceRef[] | null {
  const refs: SourceRef[] = [];
  for (const h of models) {
    const key = h.source.fisher;
    if (key === undefined) {
      ctx.problems.add(
        { message: `model '${h.source.key}' has no Fisher file: Fisher merging needs one per model (\`fisher:\` beside \`model:\`)`, model: h.source.key, param: 'fisher' },
        `nofisher|${h.source.key}`,
      );
      continue;
    }
    const ck = ctx.fisherFiles.get(key);
    const info = ck?.tensors.get(h.found.stored);
    if (!ck || !info || info.shape.join() !== h.found.info.shape.join() || !isFloatDtype(info.dtype)) {
      const file = info?.file ?? ck?.path ?? key;
      const why = !info ? 'has no tensor' : !isFloatDtype(info.dtype) ? `has dtype ${info.dtype} for tensor` : `has shape [${info.shape.join(', ')}] (the model's is [${h.found.info.shape.join(', ')}]) for tensor`;
      ctx.problems.add({ message: `${file}: the Fisher file of '${h.source.key}' ${why} ${JSON.stringify(h.found.stored)}`, model: h.source.key, tensor: name, param: 'fisher' });
      continue;
    }
    refs.push({ model: key, tensor: h.found.stored });
  }
  return refs.length === models.length ? refs : null;
}

/** The name with its layer number blanked: one problem for the same tensor of every layer. */
function layerless(name: string): string {
  const ln = splitLayerName(name);
  return ln ? withLayer(ln, -1) : name;
}

function ref(h: Found): SourceRef {
  return { model: h.source.key, tensor: h.found.stored };
}

/** A passthrough at scale 1 into the same dtype, uncut, is a byte copy. */
function withCopy(plan: TensorPlan, sourceDtype: string): TensorPlan {
  const unscaled = plan.modelParams[0]?.scale === 1;
  return unscaled && plan.models.length === 1 && sourceDtype === plan.outDtype && plan.rows === undefined ? { ...plan, copyFrom: plan.models[0] } : plan;
}

function kernelAccepts(
  ctx: TensorPlanContext,
  name: string,
  models: Found[],
  modelParams: TensorPlan['modelParams'],
  global: TensorPlan['global'],
  hasBase: boolean,
  shape: number[],
): boolean {
  if (!ctx.kernel?.validate) return true;
  const numel = shape.reduce((a, b) => a * b, 1);
  let found;
  try {
    found = ctx.kernel.validate({ modelParams, global, hasBase, numel });
  } catch (e) {
    ctx.problems.add({ message: `tensor '${name}': ${ctx.method.mergekitName} cannot check its parameters: ${(e as Error).message}`, tensor: name });
    return false;
  }
  for (const p of found) {
    const model = p.model === undefined ? undefined : models[p.model]?.source.key;
    const who = model === undefined ? '' : `model '${model}': `;
    ctx.problems.add({ message: `${who}${p.message} (tensor '${name}', parameter '${p.param}')`, model, tensor: name, param: p.param }, `kernel|${model}|${p.param}`);
  }
  return found.length === 0;
}
