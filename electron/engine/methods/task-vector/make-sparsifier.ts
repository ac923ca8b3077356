/** Builds one model's sparsifier for a range of the tensor from its kind, settings and statistics state. */
import type { SparsifierKind } from './family.js';
import { L1Rescale } from './l1-rescale.js';
import { MagnitudeBand } from './magnitude-band.js';
import { DellaDrop } from './della-drop.js';
import { RandomDrop } from './random-drop.js';
import type { ModelSettings, RescaleRule } from './settings.js';
import { IDENTITY, type Sparsifier, type SparsifyContext } from './sparsifier.js';
import { sparsifies, type SparsifierState } from './sparsifier-stats.js';

export function makeSparsifier(
  kind: SparsifierKind,
  model: ModelSettings,
  rule: RescaleRule,
  state: SparsifierState,
  ctx: SparsifyContext,
): Sparsifier {
  if (!sparsifies(kind, model)) return IDENTITY;
  const innerState = state.kind === 'l1' ? state.inner : state;
  let inner: Sparsifier;
  switch (kind) {
    case 'magnitude':
    case 'outliers':
      if (innerState.kind !== 'band') throw new Error(`a '${kind}' sparsifier needs a magnitude band state`);
      inner = new MagnitudeBand(innerState, ctx);
      break;
    case 'random':
      inner = new RandomDrop(model.density, rule === 'inverse', ctx);
      break;
    case 'della':
      inner = new DellaDrop(model.density, model.epsilon, rule === 'inverse', ctx);
      break;
    default:
      throw new Error(`no sparsifier '${kind}'`);
  }
  if (rule !== 'l1') return inner;
  if (state.kind !== 'l1') throw new Error('the l1 rule needs its norms state');
  return new L1Rescale(inner, state, ctx);
}
