/**
 * The merge recipe: Crucible's normalized form of one merge (one mergekit YAML document, or one
 * merge node of a graph with its inputs). Platform-free: the renderer builds these from graphs,
 * the YAML importer from mergekit files, and the engine plans and runs them.
 */
import type { MethodId, ParamSpecMap } from '../methods/types.js';

/** A model reference as written: a folder or .safetensors file path (absolute or relative), or a hub id. */
export type ModelRef = string;

export interface ModelSpec {
  model: ModelRef;
  /** mergekit's `model+lora` form: the adapter reference. */
  lora?: ModelRef;
  /**
   * Fisher merging (Crucible's, spec §4): this model's Fisher file (safetensors with the model's
   * names and shapes), a path like a model reference. Not in mergekit; YAML writes it as `fisher:`.
   */
  fisher?: ModelRef;
  parameters?: ParamSpecMap;
}

export interface SliceSource {
  model: ModelRef;
  lora?: ModelRef;
  /** Fisher merging: this source's Fisher file (as ModelSpec.fisher). */
  fisher?: ModelRef;
  /** [start, end): layers start..end−1 of the model. */
  layerRange: [number, number];
  parameters?: ParamSpecMap;
}

export interface SliceSpec {
  sources: SliceSource[];
  parameters?: ParamSpecMap;
}

export interface MergeRecipe {
  mergeMethod: MethodId;
  baseModel?: ModelRef;
  /** The `models:` form. Exactly one of models / slices is set. */
  models?: ModelSpec[];
  /** The `slices:` form (frankenmerges and per-slice parameters). */
  slices?: SliceSpec[];
  /** Global parameters. */
  parameters?: ParamSpecMap;
  /** mergekit's dtype (compute dtype there; in Crucible it sets the output dtype when out_dtype is absent). */
  dtype?: string;
  outDtype?: string;
  /** Model reference, 'base', or 'union' (refused at run time). */
  tokenizerSource?: string;
  chatTemplate?: string;
  /** 32-bit unsigned seed for DARE/DELLA masks; 0 when absent. */
  seed?: number;
  /** Stage name in a multi-document recipe. */
  name?: string;
}
