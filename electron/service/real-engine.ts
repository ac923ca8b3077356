/** The engine itself, behind the EnginePort the service is written against. */
import { openCheckpoint } from '../engine/io/checkpoint.js';
import { parseMergekitYaml } from '../engine/recipe/mergekit-yaml.js';
import { exportMergekitYaml } from '../engine/recipe/export/export-mergekit-yaml.js';
import { mergekitYamlForFile } from '../engine/recipe/export/export-for-file.js';
import { preflight, runMerge } from '../engine/run/run-merge.js';
import { reopenGraph } from '../engine/provenance/extract-graph.js';
import type { EnginePort } from './engine-port.js';
import { realProbe } from './real-probe.js';
import { realStages } from './real-stages.js';

export function realEngine(): EnginePort {
  return {
    runMerge,
    preflight,
    openCheckpoint,
    importYaml: async (text, file) => {
      const parsed = parseMergekitYaml(text, file);
      return { recipes: parsed.recipes, warnings: parsed.warnings.map((w) => w.message) };
    },
    exportYaml: async (recipes, target) =>
      target ? (await mergekitYamlForFile({ stages: recipes, ...target, fromGraph: true })).text : exportMergekitYaml(recipes).text,
    reopenOutput: reopenGraph,
    probe: realProbe(),
    stages: realStages(),
  };
}
