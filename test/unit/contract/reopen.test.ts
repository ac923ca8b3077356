/** The "Open recipe from output folder" messages: checked on the way in and out, unknown fields refused. */
import { describe, expect, it } from 'vitest';
import { API } from '../../../common/contract/api.js';
import { parseRequest } from '../../../common/contract/wire.js';

const project = { format: 'crucible-project', version: 2, name: 'merged', nodes: [{ id: 'a', position: { x: 0, y: 0 }, data: { kind: 'model', path: '/m/a' } }], edges: [] };
const moved = { model: '/m/a', recordedPath: '/m/a', status: 'moved', path: '/x/a', nodeIds: ['a'] };

describe('recipe.extract', () => {
  it('takes an output path and an optional models root, and nothing else', () => {
    expect(parseRequest({ id: 1, method: 'recipe.extract', params: { path: '/outs/merged' } })).toEqual({ ok: true, id: 1, method: 'recipe.extract', params: { path: '/outs/merged' } });
    expect(parseRequest({ id: 2, method: 'recipe.extract', params: { path: '/outs/merged', modelsRoot: '/models' } }).ok).toBe(true);
    expect(parseRequest({ id: 3, method: 'recipe.extract', params: { path: '/outs/merged', folder: '/x' } })).toMatchObject({ ok: false, id: 3 });
    expect(parseRequest({ id: 4, method: 'recipe.extract', params: { path: '' } }).ok).toBe(false);
    expect(parseRequest({ id: 5, method: 'recipe.extract', params: {} }).ok).toBe(false);
  });

  it('answers with a project and each input found, moved or missing (with a path only when found)', () => {
    const result = API['recipe.extract'].result;
    const missing = { model: '/m/b', recordedPath: '/m/b', status: 'missing', path: null, reason: 'gone', nodeIds: ['b'] };
    expect(result.safeParse({ project, output: '/outs/merged', inputs: [moved, missing, { ...moved, kind: 'lora', status: 'found' }] }).success).toBe(true);
    expect(result.safeParse({ project, output: '/outs/merged', inputs: [{ ...moved, status: 'lost' }] }).success).toBe(false);
    expect(result.safeParse({ project, output: '/outs/merged', inputs: [{ ...moved, extra: 1 }] }).success).toBe(false);
    expect(result.safeParse({ project, output: '/outs/merged', inputs: [], extra: 1 }).success).toBe(false);
    expect(result.safeParse({ project: { ...project, version: 9 }, output: '/outs/merged', inputs: [] }).success).toBe(false);
  });
});
