/**
 * The bundled demo's checkpoints (assets/demo/models) make its TIES node's density slider matter:
 * every weight of each fine-tune moved, as in a real fine-tune, so each density below 1 trims
 * something. (With the earlier sparse deltas, 30% of the entries, any density above 0.3 kept
 * every moved entry and changed nothing.) Runs the built CLI on the demo's models as a user would.
 * Needs `npm run build`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointF32 } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { ROOT, assertBuilt, runCli } from './cli.js';

const MODELS = join(ROOT, 'assets', 'demo', 'models');
let dir: string;
let base: Map<string, Float32Array>;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('demo-models');
  base = await readCheckpointF32(join(MODELS, 'base'));
});

afterAll(removeTempDirs);

/** Entries where two float32 tensors differ. */
function differing(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('the demo checkpoints', () => {
  it('are fine-tunes whose every weight moved from the base', async () => {
    for (const name of ['math', 'code']) {
      const ft = await readCheckpointF32(join(MODELS, name));
      expect([...ft.keys()].sort()).toEqual([...base.keys()].sort());
      for (const [tensor, values] of ft) expect(differing(values, base.get(tensor)!), `${name} ${tensor}`).toBe(values.length);
    }
  });

  it('TIES at density d on one fine-tune changes exactly ⌊d·n⌋ entries of each tensor', async () => {
    for (const density of [0.3, 0.5, 0.9]) {
      const out = join(dir, `ties-${density}`);
      const recipe = join(dir, `ties-${density}.yaml`);
      writeFileSync(
        recipe,
        [
          'merge_method: ties',
          `base_model: ${join(MODELS, 'base')}`,
          'models:',
          `  - model: ${join(MODELS, 'math')}`,
          `    parameters: {weight: 1, density: ${density}}`,
          'parameters: {normalize: false}',
          'dtype: float32',
          '',
        ].join('\n'),
      );
      const run = await runCli(['merge', recipe, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      const merged = await readCheckpointF32(out);
      for (const tensor of ['model.layers.3.self_attn.q_proj.weight', 'model.layers.5.mlp.down_proj.weight', 'model.embed_tokens.weight']) {
        const n = base.get(tensor)!.length;
        expect(differing(merged.get(tensor)!, base.get(tensor)!), `${tensor} at density ${density}`).toBe(Math.floor(density * n));
      }
    }
  });
});
