/** The app's Import mergekit YAML says what the reader left out, as `crucible recipe import` does. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../../electron/service/create-service.js';
import { realEngine } from '../../../electron/service/real-engine.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

let dir: string;
let service: Service;

beforeAll(async () => {
  dir = await makeTempDir('import-yaml-service');
  service = createService({ engine: realEngine(), configDir: join(dir, 'config'), assetsDir: join(dir, 'assets'), host: 'web', version: '1.0.0' });
});
afterAll(async () => {
  await service.close();
  await removeTempDirs();
});

describe('recipe.importYaml', () => {
  it("returns the reader's warnings: a misspelt top-level key is named with its line", async () => {
    const path = join(dir, 'typo.yaml');
    await writeFile(path, 'merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: 1\ntokenzer_source: base\n');
    const r = await service.api['recipe.importYaml']({ path });
    expect(r.project.nodes.some((n) => n.data.kind === 'merge')).toBe(true);
    const about = (r.warnings ?? []).filter((w) => w.includes('tokenzer_source'));
    expect(about).toHaveLength(1);
    expect(about[0]).toContain('typo.yaml');
    expect(about[0]).toMatch(/:6\b|line 6/);
  });

  it('returns no warnings for a clean recipe', async () => {
    const path = join(dir, 'clean.yaml');
    await writeFile(path, 'merge_method: linear\nmodels:\n  - model: a\n    parameters:\n      weight: 1\n');
    const r = await service.api['recipe.importYaml']({ path });
    expect(r.warnings ?? []).toEqual([]);
  });
});
