/** A model wired into a merge gets its own weight 1 only when the node sets no weight for all models. */
import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../common/graph/load-project.js';
import { useEditor } from '../../../renderer/src/state/editor-store.js';

const ed = () => useEditor.getState();

beforeEach(() => {
  const r = loadProject(JSON.parse(readFileSync(fileURLToPath(new URL('../../../assets/demo/demo.crucible.json', import.meta.url)), 'utf8')), 'demo');
  if (!r.ok) throw new Error(r.reason);
  ed().loadProject(r.project, '/p/demo.crucible.json');
});

function wireNewModel(): string {
  const id = ed().addNode('model', { x: 0, y: 0 });
  const r = ed().connect({ source: id, sourceHandle: 'weights', target: 'ties', targetHandle: 'models' });
  expect(r.ok).toBe(true);
  return id;
}

const tiesData = () => {
  const data = ed().nodes.find((n) => n.id === 'ties')!.data;
  if (data.kind !== 'merge') throw new Error('the demo has a TIES merge node');
  return data;
};

describe('connecting a model to a merge that requires a weight', () => {
  it('starts it at weight 1 when the node sets none for all models, so the node can run', () => {
    const id = wireNewModel();
    expect(tiesData().modelParams[id]).toEqual({ weight: 1 });
  });

  it('leaves its weight empty when the node sets one for all models: it inherits that one', () => {
    ed().setParam('ties', 'weight', 0.4);
    const id = wireNewModel();
    expect(tiesData().modelParams[id]?.weight).toBeUndefined();
  });
});
