/**
 * Serialisable descriptors of merge methods: what the CLI, validation, the YAML importer and the
 * editor's palette are generated from. No Node or DOM imports here: the renderer imports this too.
 * The kernels that compute a method live on the Node side (electron/engine/methods/) and are
 * looked up by the same id.
 */

/** What flows along an edge of the graph (typed handles). */
export type PortKind = 'weights' | 'taskVector' | 'fisher' | 'permutation';

export type MethodId =
  | 'linear'
  | 'slerp'
  | 'nuslerp'
  | 'multislerp'
  | 'karcher'
  | 'task_arithmetic'
  | 'ties'
  | 'dare_linear'
  | 'dare_ties'
  | 'breadcrumbs'
  | 'breadcrumbs_ties'
  | 'della'
  | 'della_linear'
  | 'model_stock'
  | 'sce'
  | 'nearswap'
  | 'arcee_fusion'
  | 'passthrough'
  | 'fisher';

export type ParamScope = 'model' | 'global';

interface ParamBase {
  /** mergekit's key, used in YAML and in resolved parameter maps. */
  name: string;
  label: string;
  scope: ParamScope;
  description: string;
  /** Can vary across layers (gradients, filters)? mergekit allows it for numeric parameters. */
  perLayer: boolean;
}

export interface NumberParam extends ParamBase {
  type: 'number';
  /** undefined means the parameter is required. */
  default?: number;
  min?: number;
  max?: number;
  /** min/max themselves are not allowed (e.g. density in (0, 1]). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** Slider bounds for the editor when the valid range is unbounded. */
  softMin?: number;
  softMax?: number;
  unit?: string;
  /** Labels for the two ends of a slider ("A" and "B" for t). */
  endLabels?: [string, string];
  integer?: boolean;
}

export interface BooleanParam extends ParamBase {
  type: 'boolean';
  default: boolean;
}

export interface EnumParam extends ParamBase {
  type: 'enum';
  options: string[];
  default: string;
}

export type ParamDescriptor = NumberParam | BooleanParam | EnumParam;

export interface MethodDescriptor {
  id: MethodId;
  label: string;
  /** mergekit's merge_method name. */
  mergekitName: string;
  family: 'interpolation' | 'taskVector' | 'assembly';
  summary: string;
  /** Whether a base model is required, optional or not used. */
  base: 'required' | 'optional' | 'none';
  /** Number of non-base models accepted. */
  minModels: number;
  maxModels?: number;
  /** Some methods (slerp, nearswap, arcee_fusion) take exactly two inputs, one of which is the base. */
  baseAmongInputs?: boolean;
  /** Uses the counter-based random generator (DARE, DELLA): the seed matters. */
  random: boolean;
  params: ParamDescriptor[];
}

/** A parameter value as written in a recipe: scalar, gradient, or filtered conditionals. */
export type GradientValue = number | number[];
export interface FilteredValue {
  filter?: string;
  value: GradientValue | boolean | string;
}
export type ParamSpec = number | boolean | string | number[] | FilteredValue[];
export type ParamSpecMap = Record<string, ParamSpec>;

/** Parameters resolved for one tensor: plain scalars only. */
export type ResolvedValue = number | boolean | string;
export type ResolvedParams = Record<string, ResolvedValue>;
