/** Picks one model's sparsifier from the method's kind, its density (1 = none) and the rescale rule. */
import type { SparsifierKind } from './family.js';
import { DellaDrop } from './della-drop.js';
import { L1Rescale } from './l1-rescale.js';
import { MagnitudeBand, outlierBand } from './magnitude-band.js';
import { RandomDrop } from './random-drop.js';
import type { ModelSettings, RescaleRule } from './settings.js';
import { IDENTITY, type Sparsifier, type SparsifyContext } from './sparsifier.js';

/** Whether this model's δ is sparsified at all (density 1 means no sparsification, spec §2). */
export function sparsifies(kind: SparsifierKind, model: ModelSettings): boolean {
  return kind !== 'none' && model.density < 1;
}

export function makeSparsifier(kind: SparsifierKind, model: ModelSettings, rule: RescaleRule, ctx: SparsifyContext): Sparsifier {
  if (!sparsifies(kind, model)) return IDENTITY;
  const n = ctx.numel;
  let inner: Sparsifier;
  switch (kind) {
    case 'magnitude':
      inner = new MagnitudeBand(0, Math.floor(model.density * n), ctx);
      break;
    case 'outliers': {
      const { lo, hi } = outlierBand(model.density, model.gamma, n);
      inner = new MagnitudeBand(lo, hi, ctx);
      break;
    }
    case 'random':
      inner = new RandomDrop(model.density, rule === 'inverse', ctx);
      break;
    case 'della':
      inner = new DellaDrop(model.density, model.epsilon, rule === 'inverse', ctx);
      break;
    default:
      throw new Error(`no sparsifier '${kind}'`);
  }
  return rule === 'l1' ? new L1Rescale(inner, ctx) : inner;
}
