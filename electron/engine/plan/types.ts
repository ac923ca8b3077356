/**
 * A merge plan: one task per output tensor, with its sources and fully resolved parameters.
 * The recipe layer (electron/engine/recipe) produces it from a recipe and the inputs' headers; the
 * executor runs it. Model keys are the recipe's own references; `models` maps them to checkpoints.
 */
import type { MethodId, ResolvedParams } from '../../../common/methods/types.js';
import type { FloatDtype } from '../io/dtype.js';

export interface SourceRef {
  /** Key of the model in MergePlan.models. */
  model: string;
  /** Tensor name in that model. */
  tensor: string;
}

export interface TensorPlan {
  /** Output tensor name. */
  name: string;
  method: MethodId;
  base?: SourceRef;
  /** Non-base inputs in the node's order; the RNG model index is the position here. */
  models: SourceRef[];
  modelParams: ResolvedParams[];
  /** Fisher merging: each model's Fisher tensor, same order as `models` (key: the Fisher file's reference). */
  fisher?: SourceRef[];
  global: ResolvedParams;
  /** Output layer index, or null for tensors outside the layer stack. */
  layer: number | null;
  /** Output dtype for float tensors (spec §0); non-float tensors are copied as they are. */
  outDtype: FloatDtype;
  /**
   * For non-float tensors, or when a method copies: take this source's bytes as they are.
   * When set, method/models are informative only.
   */
  copyFrom?: SourceRef;
  /** Rows to keep when inputs' vocabularies differ (embedding-like tensors cut to the smallest). */
  rows?: number;
}

export interface PlannedModel {
  /** As written in the recipe. */
  key: string;
  /** Resolved absolute path. */
  path: string;
  /** 'fisher': a Fisher file read by Fisher merging (ModelSpec.fisher), not a model. */
  role?: 'fisher';
}

export interface MergePlan {
  models: PlannedModel[];
  tensors: TensorPlan[];
  /** The model whose config.json and tokenizer files the output gets. */
  donor: string;
  /** Written into config.json. */
  layerCount?: number;
  vocabSize?: number;
  seed: number;
  warnings: string[];
  /** Where tokenizer files come from (model key), when the recipe names a source. */
  tokenizerSource?: string;
  chatTemplate?: string;
  /** The recipe's out_dtype, else dtype (spec §0); undefined: each tensor keeps its input dtype. */
  outDtype?: FloatDtype;
  /**
   * For config.json's tie_word_embeddings, set when some input ties its head to its embedding:
   * true when the output writes no lm_head (every input ties), false when it writes one.
   */
  tieWordEmbeddings?: boolean;
}
