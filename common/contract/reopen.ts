/**
 * "Open recipe from output folder": the graph an output recorded, reopened with its inputs found
 * again (at the recorded path, or moved and found by header hash), and those that are missing.
 */
import { z } from 'zod';
import { ProjectSchema } from '../graph/project-schema.js';

export const ReopenRequestSchema = z.strictObject({
  /** An output folder, or one of its .safetensors files (a host path; relative to the home folder, ~ allowed). */
  path: z.string().min(1),
  /** Searched first for inputs that moved (then the output's parent folder). */
  modelsRoot: z.string().min(1).optional(),
});
export type ReopenRequest = z.infer<typeof ReopenRequestSchema>;

export const ReopenedInputSchema = z.strictObject({
  /** The input's name as the recipe writes it (a Model node's path, a LoRA node's adapter, a Fisher node's file). */
  model: z.string(),
  /** 'lora' for a PEFT adapter (shown on the LoRA node), 'fisher' for a Fisher file (shown on the Fisher node). */
  kind: z.enum(['lora', 'fisher']).optional(),
  recordedPath: z.string(),
  /** found: at the recorded path; moved: found by header hash elsewhere; missing: nowhere searched. */
  status: z.enum(['found', 'moved', 'missing']),
  /** Where it is now (null when missing). */
  path: z.string().nullable(),
  /** Why a missing input was not found. */
  reason: z.string().optional(),
  /** The graph's nodes that stand for this input. */
  nodeIds: z.array(z.string()),
});
export type ReopenedInput = z.infer<typeof ReopenedInputSchema>;

export const ReopenResultSchema = z.strictObject({
  project: ProjectSchema,
  /** The output's path as opened (absolute). */
  output: z.string(),
  inputs: z.array(ReopenedInputSchema),
});
export type ReopenResult = z.infer<typeof ReopenResultSchema>;
