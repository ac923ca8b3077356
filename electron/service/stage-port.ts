/** What the service needs of the engine for issue 6's stages (alignment, Fisher estimation); injected like the rest. Fisher merges run as merges. */
import type { AlignGroup } from '../../common/contract/tasks.js';
import type { EstimateFisherOptions, EstimateFisherResult } from '../engine/fisher/estimate-fisher.js';
import type { CheckpointInfo } from '../engine/io/types.js';
import type { ProbeText } from '../engine/probe/text/probe-text.js';
import type { WindowOptions } from '../engine/probe/text/windows.js';
import type { AlignOptions, AlignResult } from '../engine/rebasin/align-checkpoint.js';

export interface FisherFileInfo {
  model: string;
  estimator: string;
  count: number;
  sources: string[];
}

export interface StagePort {
  /** Paths are absolute. */
  align(reference: string, model: string, out: string, opts: AlignOptions): Promise<AlignResult>;
  alignGroups(reference: CheckpointInfo, model: CheckpointInfo, aligned: CheckpointInfo, permutations: Readonly<Record<string, number[]>>): AlignGroup[];
  estimateFisher(model: string, texts: readonly ProbeText[], out: string, opts: EstimateFisherOptions): Promise<EstimateFisherResult>;
  fisherPlan(model: CheckpointInfo, texts: readonly ProbeText[], opts: WindowOptions): Promise<{ windows: number; tokens: number; parameters: number; seconds: number; memoryBytes: number }>;
  /** What an existing Fisher file says it holds, or null when there is no Fisher file there. */
  fisherFileInfo(path: string): Promise<FisherFileInfo | null>;
}
