/**
 * The `.crucible.json` project file, current version (2), as a zod schema: the validator used on
 * load is also the source of docs/project-schema.json (see json-schema.ts).
 */
import { z } from 'zod';
import { MethodIdSchema, ParamSpecMapSchema } from '../contract/recipe.js';
import { ProbeTextRefSchema } from '../contract/tasks.js';
import { LayerAssemblyNodeDataSchema } from './layer-assembly-schema.js';

export const PROJECT_FORMAT = 'crucible-project';
export const PROJECT_VERSION = 2;

const id = z.string().min(1);
const position = z.strictObject({ x: z.number(), y: z.number() });

export const ModelNodeDataSchema = z.strictObject({
  kind: z.literal('model'),
  /** A checkpoint folder or .safetensors file; relative paths resolve against the project's folder. */
  path: z.string(),
  /**
   * The node's name (its title 'Model <label>', and how merges and messages name it). Absent: its
   * checkpoint's folder or file name. Kept from before when a path typed in does not read as a
   * checkpoint: the node does not take the name of a folder that is not there.
   */
  label: z.string().optional(),
  /** The label was given by the user (the node renamed): it stays whatever path is typed in. */
  named: z.boolean().optional(),
});
export const TaskVectorNodeDataSchema = z.strictObject({ kind: z.literal('taskVector') });
export const ScaleNodeDataSchema = z.strictObject({
  kind: z.literal('scale'),
  /** Multiplies the task vector; negative values negate it. */
  alpha: z.number(),
});
export const AddNodeDataSchema = z.strictObject({ kind: z.literal('add') });
export const MergeNodeDataSchema = z.strictObject({
  kind: z.literal('merge'),
  method: MethodIdSchema,
  /** Global parameters as set by the user (absent: the method's default). */
  params: ParamSpecMapSchema,
  /** Per-model parameters, keyed by the id of the node feeding the `models` input. */
  modelParams: z.record(z.string(), ParamSpecMapSchema),
  /**
   * The node's name (a mergekit-multi stage name on import): when this merge feeds another merge,
   * the stage is exported under it. Absent: the node's id.
   */
  label: z.string().optional(),
  /**
   * This merge's own output dtype (a mergekit-multi stage's out_dtype, else dtype): when set, its
   * result is written in it; absent, the Output's dtype applies.
   */
  dtype: z.enum(['float32', 'float16', 'bfloat16']).optional(),
  /**
   * An imported stage's own `dtype` key as the recipe wrote it (as the Output's recipeDtype, for a
   * chain's earlier stage): exported as `dtype`, with `out_dtype` only when `dtype` above differs.
   * Absent: `dtype` above is exported as out_dtype.
   */
  recipeDtype: z.string().optional(),
  /** This merge's own seed (a stage's random_seed): when set, its random masks use it; absent, the Output's seed. */
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /**
   * A stage's own tokenizer settings (a mergekit-multi stage's tokenizer_source and chat_template,
   * as the Output's, for this merge's result when it feeds another merge). The Output's, when set,
   * apply to the merge it writes. Absent: the base (else first) model's tokenizer as it is.
   */
  tokenizerSource: z.string().optional(),
  chatTemplate: z.string().optional(),
});
export const OUTPUT_DTYPES = ['auto', 'float32', 'float16', 'bfloat16'] as const;
export const OutputNodeDataSchema = z.strictObject({
  kind: z.literal('output'),
  folder: z.string(),
  /** 'auto' keeps each tensor's dtype from the base (else first) model. */
  dtype: z.enum(OUTPUT_DTYPES),
  /**
   * mergekit's `dtype` as an imported recipe wrote it (the dtype mergekit loads and merges in; its
   * out_dtype defaults to it). Crucible computes in float32, so it only sets the output dtype when
   * out_dtype is absent. Exported as `dtype` (with `out_dtype` only when `dtype` above differs).
   * Absent: the export writes `dtype` above as out_dtype.
   */
  recipeDtype: z.string().optional(),
  /** Bytes per output shard. */
  shardSize: z.number().int().positive(),
  /** 32-bit unsigned seed for random methods (DARE, DELLA). */
  seed: z.number().int().min(0).max(0xffffffff),
  /** Replace the folder if it exists (built beside it, swapped in when complete). */
  overwrite: z.boolean(),
  /**
   * mergekit's tokenizer_source (or `tokenizer: source`): where the output's tokenizer files are
   * copied from: 'base' (the base model), a model reference (a model input's path, or another
   * path), or 'union' (kept, refused at run time as not supported yet). Absent: the base (else
   * first) model's, as mergekit does.
   */
  tokenizerSource: z.string().optional(),
  /**
   * mergekit's chat_template, written into the output's tokenizer_config.json: a built-in name
   * (CHAT_TEMPLATE_NAMES), 'auto' (the most common among the inputs) or a Jinja template. Absent: the copied tokenizer's own.
   */
  chatTemplate: z.string().optional(),
});
/** Built-in chat templates (the engine's chat-template.ts holds their text) and 'auto'. */
export const CHAT_TEMPLATE_NAMES = ['chatml', 'llama3', 'alpaca', 'mistral', 'auto'] as const;

/**
 * Beyond mergekit (issue 6). New node kinds only: every earlier version-2 file is still valid and
 * means the same, so the version stays 2 (an older Crucible refuses a file using them, naming the kind).
 */
/** Git Re-Basin weight matching: B (`model`) permuted to match A (`reference`), written to `folder`. */
export const AlignNodeDataSchema = z.strictObject({
  kind: z.literal('align'),
  /** Model folder the aligned B is written to; relative paths resolve against the project's folder. */
  folder: z.string(),
  /** Seed of the coordinate-descent order (u32). */
  seed: z.number().int().min(0).max(0xffffffff),
  maxSweeps: z.number().int().min(1).max(100_000),
});
/** Per-tensor diagonal Fisher information of the model on its input: from a file, or estimated in the app on probe text. */
export const FisherNodeDataSchema = z.strictObject({
  kind: z.literal('fisher'),
  source: z.enum(['file', 'estimate']),
  /** The Fisher file read ('file') or written by the estimate ('estimate'). */
  file: z.string(),
  /** Probe texts of the estimate. */
  texts: z.array(ProbeTextRefSchema),
  /** Tokens per window of the estimate (default 128). */
  window: z.number().int().min(2).max(1 << 16).optional(),
});
/** A PEFT LoRA adapter over the base on its input: the adapted model, or the adapter's update as a task vector. */
export const LoraNodeDataSchema = z.strictObject({
  kind: z.literal('lora'),
  /** Adapter folder (adapter_config.json + adapter_model.safetensors) or its .safetensors file. */
  adapter: z.string(),
  mode: z.enum(['model', 'taskVector']),
});

export const NodeDataSchema = z.discriminatedUnion('kind', [
  ModelNodeDataSchema,
  TaskVectorNodeDataSchema,
  ScaleNodeDataSchema,
  AddNodeDataSchema,
  MergeNodeDataSchema,
  OutputNodeDataSchema,
  AlignNodeDataSchema,
  FisherNodeDataSchema,
  LoraNodeDataSchema,
  // Recipes' `slices:` form (frankenmerges), a new kind of version 2 as the three above.
  LayerAssemblyNodeDataSchema,
]);

export const ProjectNodeSchema = z.strictObject({ id, position, data: NodeDataSchema });
export const ProjectEdgeSchema = z.strictObject({
  id,
  source: id,
  sourceHandle: z.string(),
  target: id,
  targetHandle: z.string(),
});

export const ProjectSchema = z
  .strictObject({
    format: z.literal(PROJECT_FORMAT),
    version: z.literal(PROJECT_VERSION),
    name: z.string(),
    nodes: z.array(ProjectNodeSchema),
    edges: z.array(ProjectEdgeSchema),
    viewport: z.strictObject({ x: z.number(), y: z.number(), zoom: z.number().positive() }).optional(),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    for (const n of p.nodes) {
      if (ids.has(n.id)) ctx.addIssue({ code: 'custom', message: `duplicate node id '${n.id}'`, path: ['nodes'] });
      ids.add(n.id);
    }
    for (const e of p.edges) {
      for (const end of [e.source, e.target]) {
        if (!ids.has(end)) ctx.addIssue({ code: 'custom', message: `edge '${e.id}' refers to a missing node '${end}'`, path: ['edges'] });
      }
    }
  });

export type Project = z.infer<typeof ProjectSchema>;
export type ProjectNode = z.infer<typeof ProjectNodeSchema>;
export type ProjectEdge = z.infer<typeof ProjectEdgeSchema>;
export type NodeData = z.infer<typeof NodeDataSchema>;
export type NodeKind = NodeData['kind'];
export type ModelNodeData = z.infer<typeof ModelNodeDataSchema>;
export type ScaleNodeData = z.infer<typeof ScaleNodeDataSchema>;
export type MergeNodeData = z.infer<typeof MergeNodeDataSchema>;
export type OutputNodeData = z.infer<typeof OutputNodeDataSchema>;
export type OutputDtype = (typeof OUTPUT_DTYPES)[number];
export type AlignNodeData = z.infer<typeof AlignNodeDataSchema>;
export type FisherNodeData = z.infer<typeof FisherNodeDataSchema>;
export type LoraNodeData = z.infer<typeof LoraNodeDataSchema>;
export type { LayerAssemblyNodeData, SliceRowData, SliceSourceData } from './layer-assembly-schema.js';
/** The tokenizer settings an Output node, or a merge node as a stage, carries. */
export type TokenizerSettings = Pick<OutputNodeData, 'tokenizerSource' | 'chatTemplate'>;
