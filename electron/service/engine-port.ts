/** What the service needs of the engine: injected, so tests can stand in for it. */
import type { CheckpointInfo } from '../engine/io/types.js';
import type { Preflight, RunOptions, RunResult } from '../engine/run/types.js';
import type { MergeRecipe } from '../../common/recipe/types.js';

export interface EnginePort {
  runMerge(opts: RunOptions): Promise<RunResult>;
  preflight(opts: RunOptions): Promise<Preflight>;
  /** `path` is absolute. */
  openCheckpoint(path: string): Promise<CheckpointInfo>;
  /** mergekit YAML → recipes (one per document); absent until the importer lands. */
  importYaml?: (text: string, file: string) => Promise<MergeRecipe[]>;
  exportYaml?: (recipe: MergeRecipe) => Promise<string>;
}
