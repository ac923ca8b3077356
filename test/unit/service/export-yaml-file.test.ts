/** The service's Export mergekit YAML with the real exporter: paths follow the file, an existing file keeps its comments. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../../common/contract/run.js';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { realEngine } from '../../../electron/service/real-engine.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
let service: Service;

beforeAll(async () => {
  dir = await makeTempDir('export-yaml-service');
  await mkdir(join(dir, 'project', 'models', 'base'), { recursive: true });
  await mkdir(join(dir, 'project', 'models', 'math'), { recursive: true });
  await mkdir(join(dir, 'exports'));
  service = createService({ engine: realEngine(), configDir: join(dir, 'config'), assetsDir: join(dir, 'assets'), host: 'web', version: '1.0.0' });
});
afterAll(async () => {
  await service.close();
  await removeTempDirs();
});

function job(density: number): JobSpec {
  return {
    recipe: { mergeMethod: 'ties', baseModel: 'models/base', models: [{ model: 'models/math', parameters: { weight: 1, density } }] },
    recipeDir: join(dir, 'project'),
    out: 'out',
    force: false,
  };
}

describe('recipe.exportYaml', () => {
  it("writes model paths relative to the YAML's folder, and edits an existing file in place", async () => {
    const path = join(dir, 'exports', 'ties.yaml');
    const r = await service.api['recipe.exportYaml']({ path, job: job(0.5) });
    expect(r.path).toBe(path);
    const first = await readFile(path, 'utf8');
    expect(first).toBe(
      'merge_method: ties\nbase_model: ../project/models/base\nmodels:\n  - model: ../project/models/math\n    parameters:\n      weight: 1\n      density: 0.5\n',
    );
    await writeFile(path, first.replace('merge_method: ties\n', '# tuned by hand\nmerge_method: ties # sign election\n').replace('density: 0.5', 'density: 0.5 # half'));
    await service.api['recipe.exportYaml']({ path, job: job(0.3) });
    expect(await readFile(path, 'utf8')).toBe(
      '# tuned by hand\nmerge_method: ties # sign election\nbase_model: ../project/models/base\nmodels:\n  - model: ../project/models/math\n    parameters:\n      weight: 1\n      density: 0.3 # half\n',
    );
  });

  it("writes a model path that is absolute (as an imported recipe's are in the app) relative when it lies inside the YAML's folder", async () => {
    const path = join(dir, 'project', 'abs.yaml');
    const abs: JobSpec = {
      ...job(0.5),
      recipe: { mergeMethod: 'ties', baseModel: join(dir, 'project', 'models', 'base'), models: [{ model: join(dir, 'project', 'models', 'math'), parameters: { weight: 1, density: 0.5 } }] },
    };
    await service.api['recipe.exportYaml']({ path, job: abs });
    expect(await readFile(path, 'utf8')).toBe('merge_method: ties\nbase_model: ./models/base\nmodels:\n  - model: ./models/math\n    parameters:\n      weight: 1\n      density: 0.5\n');
  });

  it("check lists what mergekit cannot express and writes nothing; withComments writes it as '# crucible:' lines", async () => {
    const path = join(dir, 'exports', 'count.yaml');
    const count: JobSpec = { ...job(0.5), recipe: { ...job(0.5).recipe, parameters: { consensus: 'count' } }, mergeNodeId: 'ties-node' };
    const checked = await service.api['recipe.exportYaml']({ path, job: count, check: true });
    expect(checked.gaps).toHaveLength(1);
    expect(checked.gaps?.[0].nodeId).toBe('ties-node');
    expect(checked.gaps?.[0].message).toMatch(/consensus 'count'/);
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
    await service.api['recipe.exportYaml']({ path, job: count, withComments: true });
    const text = await readFile(path, 'utf8');
    expect(text.split('\n').filter((l) => l.startsWith('# crucible: ')).length).toBe(2);
    expect(text).toMatch(/# crucible: .*consensus 'count'/);
    expect(text).toContain('\nmerge_method: ties\n');
    // No gaps: no list, no comments.
    const plain = await service.api['recipe.exportYaml']({ path: join(dir, 'exports', 'plain.yaml'), job: job(0.5), check: true });
    expect(plain.gaps).toBeUndefined();
  });
});
