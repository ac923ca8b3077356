/** What the service needs of the engine: injected, so tests can stand in for it. */
import type { CheckpointInfo } from '../engine/io/types.js';
import type { ReopenedGraph } from '../engine/provenance/extract-graph.js';
import type { Preflight, RunOptions, RunResult } from '../engine/run/types.js';
import type { MergeRecipe } from '../../common/recipe/types.js';
import type { ProbePort } from './probe-port.js';
import type { StagePort } from './stage-port.js';

export interface EnginePort {
  runMerge(opts: RunOptions): Promise<RunResult>;
  preflight(opts: RunOptions): Promise<Preflight>;
  /** `path` is absolute. */
  openCheckpoint(path: string): Promise<CheckpointInfo>;
  /**
   * mergekit YAML → recipes (one per document), with the reader's warnings (keys ignored, values
   * normalised), each a complete sentence naming the file and line; absent until the importer lands.
   */
  importYaml?: (text: string, file: string) => Promise<{ recipes: MergeRecipe[]; warnings: string[] }>;
  /**
   * recipes (one per stage: a chain's named stages, then the final merge) → mergekit YAML text.
   * With a target, model paths are made relative to its folder and an existing file there is
   * edited in place (its comments kept).
   */
  exportYaml?: (recipes: readonly MergeRecipe[], target?: { path: string; recipeDir: string }) => Promise<string>;
  /**
   * An output's recorded graph with its inputs found again (by header hash where they moved;
   * missing ones reported, not refused). `path` is absolute: the output folder or one of its files.
   */
  reopenOutput?: (path: string, modelsRoot?: string) => Promise<ReopenedGraph>;
  /** Probes (barrier previews, sweeps, the post-merge check); absent in engines without them. */
  probe?: ProbePort;
  /** Alignment and Fisher estimation (issue 6); absent in engines without them. Fisher merges run as merges. */
  stages?: StagePort;
}
