/** The engine's alignment and Fisher code behind the StagePort. */
import { existsSync } from 'node:fs';
import { estimateFisher } from '../engine/fisher/estimate-fisher.js';
import { FISHER_FORMAT } from '../engine/fisher/fisher-file.js';
import { openCheckpoint } from '../engine/io/checkpoint.js';
import { alignCheckpoint } from '../engine/rebasin/align-checkpoint.js';
import type { StagePort } from './stage-port.js';
import { alignGroups } from '../engine/rebasin/align-groups.js';
import { fisherPlan } from './stages/fisher-plan.js';

export function realStages(): StagePort {
  return {
    align: (reference, model, out, opts) => alignCheckpoint(reference, model, out, opts),
    alignGroups,
    estimateFisher: (model, texts, out, opts) => estimateFisher(model, texts, out, opts),
    fisherPlan,
    async fisherFileInfo(path) {
      if (!existsSync(path)) return null;
      try {
        const meta = (await openCheckpoint(path)).files[0]?.metadata ?? {};
        if (meta.crucible_fisher !== FISHER_FORMAT) return null;
        const sources = JSON.parse(meta.crucible_fisher_sources ?? '[]') as unknown;
        return {
          model: meta.crucible_fisher_model ?? '',
          estimator: meta.crucible_fisher_estimator ?? '',
          count: Number(meta.crucible_fisher_count ?? 0) || 0,
          sources: Array.isArray(sources) ? sources.map(String) : [],
        };
      } catch {
        return null;
      }
    },
  };
}
