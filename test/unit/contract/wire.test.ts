import { describe, expect, it } from 'vitest';
import { parseRequest, ServerMessageSchema } from '../../../common/contract/wire.js';
import { API } from '../../../common/contract/api.js';
import { MergeRecipeSchema } from '../../../common/contract/recipe.js';

describe('request validation', () => {
  it('accepts a well-formed request and returns its parameters', () => {
    const r = parseRequest({ id: 3, method: 'checkpoint.open', params: { path: '/m/a' } });
    expect(r).toEqual({ ok: true, id: 3, method: 'checkpoint.open', params: { path: '/m/a' } });
  });

  it('rejects unknown fields in the envelope and in the parameters', () => {
    const extraEnvelope = parseRequest({ id: 1, method: 'app.info', params: {}, admin: true });
    expect(extraEnvelope.ok).toBe(false);
    const extraParam = parseRequest({ id: 2, method: 'checkpoint.open', params: { path: '/m', evil: 1 } });
    expect(extraParam).toMatchObject({ ok: false, id: 2 });
    if (!extraParam.ok) expect(extraParam.message).toMatch(/evil|unrecognized/i);
  });

  it('rejects unknown methods, naming them', () => {
    const r = parseRequest({ id: 5, method: 'fs.delete', params: {} });
    expect(r).toEqual({ ok: false, id: 5, message: "unknown method 'fs.delete'" });
  });

  it('rejects parameters of the wrong type', () => {
    expect(parseRequest({ id: 1, method: 'run.cancel', params: { jobId: 7 } }).ok).toBe(false);
    expect(parseRequest({ id: 1, method: 'checkpoint.open', params: { path: '' } }).ok).toBe(false);
    expect(parseRequest('not an object').ok).toBe(false);
  });

  it('validates recipes inside jobs, including the method id', () => {
    const job = { recipe: { mergeMethod: 'ties', baseModel: 'b', models: [{ model: 'a', parameters: { weight: 1, density: [0.2, 0.8] } }] }, recipeDir: '/p', out: '/o', force: false };
    expect(parseRequest({ id: 1, method: 'run.start', params: { job } }).ok).toBe(true);
    const bad = { ...job, recipe: { ...job.recipe, mergeMethod: 'ram' } };
    expect(parseRequest({ id: 1, method: 'run.start', params: { job: bad } }).ok).toBe(false);
  });

  it('recipe.exportYaml: old requests stay valid, check and withComments are booleans, unknown fields are refused; gaps come back with their node', () => {
    const job = { recipe: { mergeMethod: 'linear', models: [{ model: 'a', parameters: { weight: 1 } }] }, recipeDir: '/p', out: '/o', force: false };
    expect(parseRequest({ id: 1, method: 'recipe.exportYaml', params: { path: '/x.yaml', job } }).ok).toBe(true);
    expect(parseRequest({ id: 1, method: 'recipe.exportYaml', params: { path: '/x.yaml', job, check: true } }).ok).toBe(true);
    expect(parseRequest({ id: 1, method: 'recipe.exportYaml', params: { path: '/x.yaml', job, withComments: true } }).ok).toBe(true);
    expect(parseRequest({ id: 1, method: 'recipe.exportYaml', params: { path: '/x.yaml', job, withComments: 'yes' } }).ok).toBe(false);
    expect(parseRequest({ id: 1, method: 'recipe.exportYaml', params: { path: '/x.yaml', job, comments: true } }).ok).toBe(false);
    const result = API['recipe.exportYaml'].result;
    expect(result.safeParse({ path: '/x.yaml' }).success).toBe(true);
    expect(result.safeParse({ path: '/x.yaml', gaps: [{ nodeId: 'al', message: 'Align' }, { message: 'rescale' }] }).success).toBe(true);
    expect(result.safeParse({ path: '/x.yaml', gaps: [{ message: 'x', extra: 1 }] }).success).toBe(false);
  });

  it('checks responses and event batches from the host', () => {
    expect(ServerMessageSchema.safeParse({ type: 'response', id: 1, ok: true, result: {} }).success).toBe(true);
    expect(ServerMessageSchema.safeParse({ type: 'events', events: [{ kind: 'job.cancelled', jobId: 'j' }] }).success).toBe(true);
    expect(ServerMessageSchema.safeParse({ type: 'events', events: [{ kind: 'job.exploded', jobId: 'j' }] }).success).toBe(false);
  });
});

describe('schemas', () => {
  it('filtered parameter values and gradients are valid recipe parameters', () => {
    const r = MergeRecipeSchema.safeParse({
      mergeMethod: 'slerp',
      baseModel: 'a',
      models: [{ model: 'a' }, { model: 'b' }],
      parameters: { t: [{ filter: 'self_attn', value: [0, 0.5, 1] }, { value: 0.5 }] },
    });
    expect(r.success).toBe(true);
  });

  it('every method has parameter and result schemas', () => {
    for (const [name, m] of Object.entries(API)) {
      expect(typeof m.params.safeParse, name).toBe('function');
      expect(typeof m.result.safeParse, name).toBe('function');
    }
  });
});
