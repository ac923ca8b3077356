import { describe, expect, it } from 'vitest';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import { edge, graph, merge, model, node, output } from './build.js';

function c(source: string, sourceHandle: string, target: string, targetHandle: string) {
  return { source, sourceHandle, target, targetHandle };
}

describe('typed handles', () => {
  it('accepts weights into a merge and a merge into an output', () => {
    const g = graph();
    model(g, 'a');
    merge(g, 't', 'ties');
    output(g, 'o');
    expect(validateConnection(g, c('a', 'weights', 't', 'base'))).toEqual({ ok: true });
    expect(validateConnection(g, c('a', 'weights', 't', 'models'))).toEqual({ ok: true });
    expect(validateConnection(g, c('t', 'weights', 'o', 'weights'))).toEqual({ ok: true });
  });

  it('refuses weights into a task-vector input, saying what each side carries', () => {
    const g = graph();
    model(g, 'a', '/models/llama-base');
    node(g, 's', { kind: 'scale', alpha: 1 });
    expect(validateConnection(g, c('a', 'weights', 's', 'taskVector'))).toEqual({
      ok: false,
      reason: 'Model llama-base gives weights; Task vector of Scale takes task vectors.',
    });
  });

  it('refuses task vectors into a method that does not take them', () => {
    const g = graph();
    node(g, 'tv', { kind: 'taskVector' });
    merge(g, 'l', 'linear');
    const r = validateConnection(g, c('tv', 'taskVector', 'l', 'models'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^Linear \(model soup\) takes weights, not task vectors/);
    merge(g, 't', 'task_arithmetic');
    expect(validateConnection(g, c('tv', 'taskVector', 't', 'models')).ok).toBe(true);
  });

  it('refuses a second base, a second SLERP model, duplicates and cycles; a merge may feed another merge (a chain), not a task vector node', () => {
    const g = graph();
    model(g, 'a');
    model(g, 'b');
    model(g, 'c');
    merge(g, 's', 'slerp');
    merge(g, 't', 'ties');
    edge(g, 'a', 's', 'base');
    edge(g, 'b', 's', 'models');
    edge(g, 'a', 't', 'models');
    expect(validateConnection(g, c('b', 'weights', 's', 'base'))).toEqual({ ok: false, reason: 'Base of SLERP already has an input; remove that edge first.' });
    expect(validateConnection(g, c('c', 'weights', 's', 'models'))).toEqual({ ok: false, reason: 'SLERP takes 1 model besides the base; remove the other edge first.' });
    expect(validateConnection(g, c('a', 'weights', 't', 'models'))).toEqual({ ok: false, reason: 'Model a is already connected to Models.' });
    expect(validateConnection(g, c('s', 'weights', 't', 'models'))).toEqual({ ok: true });
    edge(g, 's', 't', 'models');
    expect(validateConnection(g, c('t', 'weights', 's', 'models')).ok).toBe(false);
    merge(g, 'u', 'task_arithmetic');
    edge(g, 't', 'u', 'base');
    expect(validateConnection(g, c('u', 'weights', 's', 'base'))).toEqual({ ok: false, reason: 'Base of SLERP already has an input; remove that edge first.' });
    merge(g, 'v', 'linear');
    edge(g, 'u', 'v', 'models');
    expect(validateConnection(g, c('v', 'weights', 't', 'models'))).toEqual({ ok: false, reason: 'That edge would make a cycle.' });
    node(g, 'tv', { kind: 'taskVector' });
    expect(validateConnection(g, c('s', 'weights', 'tv', 'model')).ok).toBe(false);
    node(g, 'add1', { kind: 'add' });
    node(g, 'add2', { kind: 'add' });
    edge(g, 'add1', 'add2', 'taskVectors');
    expect(validateConnection(g, c('add2', 'taskVector', 'add1', 'taskVectors'))).toEqual({ ok: false, reason: 'That edge would make a cycle.' });
  });

  it('refuses inputs that do not exist on the node (linear has no Fisher input)', () => {
    const g = graph();
    model(g, 'a');
    merge(g, 'l', 'linear');
    expect(validateConnection(g, c('a', 'weights', 'l', 'fishers'))).toEqual({ ok: false, reason: "Linear (model soup) has no input 'fishers'." });
  });

  it('a method that merges no base still takes one Base, as the donor of config and tokenizer', () => {
    const g = graph();
    model(g, 'a');
    model(g, 'b');
    merge(g, 'l', 'linear');
    expect(validateConnection(g, c('a', 'weights', 'l', 'base'))).toEqual({ ok: true });
    edge(g, 'a', 'l', 'base');
    expect(validateConnection(g, c('b', 'weights', 'l', 'base')).ok).toBe(false);
  });
});
