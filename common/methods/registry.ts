/**
 * The method registry: one entry per merge method, as data (../shared/spec/methods.md §1–3).
 * Kernels are looked up by id on the Node side; everything else (CLI help, validation, the YAML
 * importer, the editor's palette and node UI) reads these descriptors.
 */
import type { MethodDescriptor, MethodId, ParamDescriptor } from './types.js';

const weight: ParamDescriptor = {
  name: 'weight',
  label: 'Weight',
  type: 'number',
  scope: 'model',
  perLayer: true,
  softMin: -1,
  softMax: 2,
  description: "This model's weight in the sum. Negative weights subtract (with normalize off).",
};

const density: ParamDescriptor = {
  name: 'density',
  label: 'Density',
  type: 'number',
  scope: 'model',
  perLayer: true,
  default: 1,
  min: 0,
  max: 1,
  minExclusive: true,
  unit: 'fraction kept',
  description: 'Fraction of task-vector entries kept. 1 keeps everything (no trimming).',
};

const lambda: ParamDescriptor = {
  name: 'lambda',
  label: 'λ (scale)',
  type: 'number',
  scope: 'global',
  perLayer: true,
  default: 1,
  softMin: 0,
  softMax: 2,
  description: 'Scale of the merged task vector added to the base. 0 gives the base back.',
};

const int8Mask: ParamDescriptor = {
  name: 'int8_mask',
  label: 'int8 mask',
  type: 'boolean',
  scope: 'global',
  perLayer: false,
  default: false,
  description: 'Accepted for mergekit compatibility; it changes nothing numerically.',
};

function normalize(def: boolean): ParamDescriptor {
  return {
    name: 'normalize',
    label: 'Normalize',
    type: 'boolean',
    scope: 'global',
    perLayer: true,
    default: def,
    description: 'Divide by the sum of the weights (of the models that agree, with sign consensus).',
  };
}

function rescale(def: boolean): ParamDescriptor {
  return {
    name: 'rescale',
    label: 'Rescale',
    type: 'boolean',
    scope: 'global',
    perLayer: true,
    default: def,
    description: 'Rescale the survivors of sparsification so the task vector keeps its size.',
  };
}

const rescaleNorm: ParamDescriptor = {
  name: 'rescale_norm',
  label: 'Rescale rule',
  type: 'enum',
  scope: 'global',
  perLayer: false,
  options: ['inverse', 'l1', 'none'],
  default: 'inverse',
  description:
    "inverse: ×1/p (the paper; preserves the expected vector). l1: ×‖δ‖₁/‖δ⊙m‖₁ (mergekit's; recipes imported from YAML use it).",
};

const consensus: ParamDescriptor = {
  name: 'consensus',
  label: 'Sign election',
  type: 'enum',
  scope: 'global',
  perLayer: false,
  options: ['sum', 'count'],
  default: 'sum',
  description: 'sum: elect the sign of the total mass (TIES). count: elect the majority of signs.',
};

const gamma: ParamDescriptor = {
  name: 'gamma',
  label: 'γ (outliers)',
  type: 'number',
  scope: 'model',
  perLayer: true,
  default: 0.01,
  min: 0,
  max: 1,
  unit: 'fraction dropped from the top',
  description: 'Fraction of the largest-magnitude entries dropped as outliers.',
};

const epsilon: ParamDescriptor = {
  name: 'epsilon',
  label: 'ε (spread)',
  type: 'number',
  scope: 'model',
  perLayer: true,
  default: 0.15,
  min: 0,
  max: 1,
  description: 'Keep probabilities range over density ± ε by magnitude rank within each row.',
};

function tParam(endLabels: [string, string]): ParamDescriptor {
  return {
    name: 't',
    label: 't',
    type: 'number',
    scope: 'global',
    perLayer: true,
    softMin: 0,
    softMax: 1,
    endLabels,
    description: 'Interpolation factor: 0 gives the base model, 1 the other model.',
  };
}

const requiredWeight: ParamDescriptor = weight;

function taskFamily(
  id: MethodId,
  label: string,
  summary: string,
  opts: { normalize: boolean; rescale: boolean; consensus: boolean; sparsifier: 'none' | 'magnitude' | 'random' | 'outliers' | 'della' },
): MethodDescriptor {
  const params: ParamDescriptor[] = [requiredWeight];
  if (opts.sparsifier !== 'none') params.push(density);
  if (opts.sparsifier === 'outliers') params.push(gamma);
  if (opts.sparsifier === 'della') params.push(epsilon);
  params.push(normalize(opts.normalize), lambda, rescale(opts.rescale));
  if (opts.sparsifier === 'random' || opts.sparsifier === 'della') params.push(rescaleNorm);
  if (opts.consensus) params.push(consensus);
  params.push(int8Mask);
  return {
    id,
    label,
    mergekitName: id,
    family: 'taskVector',
    summary,
    base: 'required',
    minModels: 1,
    random: opts.sparsifier === 'random' || opts.sparsifier === 'della',
    params,
  };
}

export const METHODS: readonly MethodDescriptor[] = [
  {
    id: 'linear',
    label: 'Linear (model soup)',
    mergekitName: 'linear',
    family: 'interpolation',
    summary: 'Weighted average of the models.',
    base: 'none',
    minModels: 1,
    random: false,
    params: [weight, normalize(true), int8Mask],
  },
  {
    id: 'slerp',
    label: 'SLERP',
    mergekitName: 'slerp',
    family: 'interpolation',
    summary: 'Spherical interpolation between the base and one other model.',
    base: 'required',
    minModels: 1,
    maxModels: 1,
    baseAmongInputs: true,
    random: false,
    params: [tParam(['base', 'other'])],
  },
  {
    id: 'nuslerp',
    label: 'NuSLERP',
    mergekitName: 'nuslerp',
    family: 'interpolation',
    summary: 'SLERP of two models by weight, optionally of their task vectors from a base.',
    base: 'optional',
    minModels: 2,
    maxModels: 2,
    random: false,
    params: [
      weight,
      {
        name: 'nuslerp_flatten',
        label: 'Flatten',
        type: 'boolean',
        scope: 'global',
        perLayer: true,
        default: true,
        description: 'Treat the whole tensor as one vector (else rows or columns).',
      },
      {
        name: 'nuslerp_row_wise',
        label: 'Row-wise',
        type: 'boolean',
        scope: 'global',
        perLayer: true,
        default: false,
        description: 'Without flatten: interpolate along dim 0 instead of the last dimension.',
      },
    ],
  },
  {
    id: 'multislerp',
    label: 'Multi-SLERP',
    mergekitName: 'multislerp',
    family: 'interpolation',
    summary: 'Spherical weighted mean of several models (of task vectors with a base).',
    base: 'optional',
    minModels: 2,
    random: false,
    params: [
      weight,
      {
        name: 'normalize_weights',
        label: 'Normalize weights',
        type: 'boolean',
        scope: 'global',
        perLayer: true,
        default: true,
        description: 'Divide the weights by their sum.',
      },
      {
        name: 'eps',
        label: 'ε',
        type: 'number',
        scope: 'global',
        perLayer: true,
        default: 1e-8,
        min: 0,
        description: 'Numerical floor.',
      },
    ],
  },
  {
    id: 'karcher',
    label: 'Karcher mean',
    mergekitName: 'karcher',
    family: 'interpolation',
    summary: 'Riemannian (Karcher) mean of the models on the sphere.',
    base: 'none',
    minModels: 2,
    random: false,
    params: [
      {
        name: 'max_iter',
        label: 'Max iterations',
        type: 'number',
        scope: 'global',
        perLayer: true,
        default: 10,
        min: 1,
        integer: true,
        description: 'Iteration limit.',
      },
      {
        name: 'tol',
        label: 'Tolerance',
        type: 'number',
        scope: 'global',
        perLayer: true,
        default: 1e-5,
        min: 0,
        minExclusive: true,
        description: 'Convergence tolerance.',
      },
    ],
  },
  taskFamily('task_arithmetic', 'Task arithmetic', 'Base plus the weighted sum of task vectors.', {
    normalize: false,
    rescale: false,
    consensus: false,
    sparsifier: 'none',
  }),
  taskFamily('ties', 'TIES', 'Trim each task vector by magnitude, elect signs, disjoint mean.', {
    normalize: true,
    rescale: false,
    consensus: true,
    sparsifier: 'magnitude',
  }),
  taskFamily('dare_linear', 'DARE (linear)', 'Randomly drop task-vector entries and rescale, then sum.', {
    normalize: false,
    rescale: true,
    consensus: false,
    sparsifier: 'random',
  }),
  taskFamily('dare_ties', 'DARE-TIES', 'DARE sparsification with TIES sign election.', {
    normalize: false,
    rescale: true,
    consensus: true,
    sparsifier: 'random',
  }),
  taskFamily('breadcrumbs', 'Model Breadcrumbs', 'Drop both the smallest and the largest (outlier) entries.', {
    normalize: false,
    rescale: false,
    consensus: false,
    sparsifier: 'outliers',
  }),
  taskFamily('breadcrumbs_ties', 'Breadcrumbs-TIES', 'Breadcrumbs sparsification with TIES sign election.', {
    normalize: false,
    rescale: false,
    consensus: true,
    sparsifier: 'outliers',
  }),
  taskFamily('della', 'DELLA', 'Magnitude-ranked random dropping per row, with sign election.', {
    normalize: true,
    rescale: true,
    consensus: true,
    sparsifier: 'della',
  }),
  taskFamily('della_linear', 'DELLA (linear)', 'Magnitude-ranked random dropping per row, summed.', {
    normalize: false,
    rescale: true,
    consensus: false,
    sparsifier: 'della',
  }),
  {
    id: 'model_stock',
    label: 'Model Stock',
    mergekitName: 'model_stock',
    family: 'interpolation',
    summary: 'Interpolate the mean of the models towards the base by the angle between task vectors.',
    base: 'required',
    minModels: 2,
    random: false,
    params: [
      {
        name: 'filter_wise',
        label: 'Per row',
        type: 'boolean',
        scope: 'global',
        perLayer: true,
        default: false,
        description: 'Compute the angle per row instead of per tensor.',
      },
    ],
  },
  {
    id: 'sce',
    label: 'SCE',
    mergekitName: 'sce',
    family: 'taskVector',
    summary: 'Select high-variance entries, weight models by their task-vector energy, elect signs.',
    base: 'required',
    minModels: 1,
    random: false,
    params: [
      {
        name: 'select_topk',
        label: 'Top-k by variance',
        type: 'number',
        scope: 'global',
        perLayer: true,
        default: 1,
        min: 0,
        max: 1,
        minExclusive: true,
        unit: 'fraction kept',
        description: 'Fraction of entries kept, by variance across models. 1 keeps all.',
      },
      // mergekit's sce_merge takes int8_mask as the task-vector family does.
      int8Mask,
    ],
  },
  {
    id: 'nearswap',
    label: 'NearSwap',
    mergekitName: 'nearswap',
    family: 'interpolation',
    summary: "Take the other model's value where it is close to the base.",
    base: 'required',
    minModels: 1,
    maxModels: 1,
    baseAmongInputs: true,
    random: false,
    params: [{ ...tParam(['base', 'other']), description: 'Distance scale: entries closer than t swap fully.' }],
  },
  {
    id: 'arcee_fusion',
    label: 'Arcee Fusion',
    mergekitName: 'arcee_fusion',
    family: 'interpolation',
    summary: 'Take the other model where its change is important (by |Δ| × row KL).',
    base: 'required',
    minModels: 1,
    maxModels: 1,
    baseAmongInputs: true,
    random: false,
    params: [],
  },
  {
    id: 'passthrough',
    label: 'Passthrough',
    mergekitName: 'passthrough',
    family: 'assembly',
    summary: 'Copy tensors from one model (with slices: assemble a new layer stack).',
    base: 'none',
    minModels: 1,
    random: false,
    params: [
      {
        name: 'scale',
        label: 'Scale',
        type: 'number',
        scope: 'model',
        perLayer: true,
        default: 1,
        softMin: 0,
        softMax: 2,
        description: 'Multiply the copied tensor by this.',
      },
    ],
  },
  {
    // Crucible's own (spec §4); mergekit has no Fisher merging. Each model needs a Fisher input.
    id: 'fisher',
    label: 'Fisher merging',
    mergekitName: 'fisher',
    family: 'interpolation',
    summary: "Average weighted elementwise by each model's diagonal Fisher information (Matena & Raffel).",
    base: 'none',
    minModels: 1,
    random: false,
    params: [
      {
        name: 'weight',
        label: 'Weight',
        type: 'number',
        scope: 'model',
        perLayer: true,
        default: 1,
        min: 0,
        softMax: 2,
        description: "This model's weight, multiplying its Fisher (F + 1e-8): equal or vanishing Fisher gives the weighted mean.",
      },
    ],
  },
];

const byId = new Map<string, MethodDescriptor>(METHODS.map((m) => [m.id, m]));

export function getMethod(id: string): MethodDescriptor | undefined {
  return byId.get(id);
}

export function isMethodId(id: string): id is MethodId {
  return byId.has(id);
}

/** Methods mergekit knows but Crucible refuses, with the message to show. */
export const UNSUPPORTED_METHODS: Readonly<Record<string, string>> = {
  ram: "merge method 'ram' is not supported yet",
  ramplus_tl: "merge method 'ramplus_tl' is not supported yet",
};
