/** The engine itself, behind the EnginePort the service is written against. */
import { openCheckpoint } from '../engine/io/checkpoint.js';
import { parseMergekitYaml } from '../engine/recipe/mergekit-yaml.js';
import { preflight, runMerge } from '../engine/run/run-merge.js';
import type { EnginePort } from './engine-port.js';

export function realEngine(): EnginePort {
  return {
    runMerge,
    preflight,
    openCheckpoint,
    importYaml: async (text, file) => parseMergekitYaml(text, file).recipes,
    // YAML export is a later issue (the exporter is not written yet): the service says so.
  };
}
