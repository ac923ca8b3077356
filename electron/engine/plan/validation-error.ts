/** Recipe problems found by the planner, before any tensor is read. */

export interface PlanProblem {
  /** Complete sentence, naming the model, tensor and parameter concerned. */
  message: string;
  /** Model key as written in the recipe. */
  model?: string;
  /** That model's path (the planner adds it). */
  file?: string;
  /** Tensor name (the input's name for a per-model parameter, else the output's). */
  tensor?: string;
  param?: string;
}

export class ValidationError extends Error {
  constructor(readonly problems: PlanProblem[]) {
    super(
      problems.length === 1
        ? `the recipe cannot be merged: ${problems[0].message}`
        : `the recipe cannot be merged (${problems.length} problems):\n${problems.map((p) => `- ${p.message}`).join('\n')}`,
    );
    this.name = 'ValidationError';
  }

  /** The first problem's file and tensor, for the error's `file` and `tensor` (as other input errors have them). */
  get file(): string | undefined {
    return this.problems.find((p) => p.file !== undefined)?.file;
  }

  get tensor(): string | undefined {
    return this.problems.find((p) => p.tensor !== undefined)?.tensor;
  }
}
