/** Edges that lose their handle when a node changes what it takes or gives are dropped with the change. */
import { describe, expect, it } from 'vitest';
import { useEditor } from '../../../renderer/src/state/editor-store.js';
import type { Project } from '../../../common/graph/project-schema.js';

const at = { x: 0, y: 0 };
const project: Project = {
  format: 'crucible-project',
  version: 2,
  name: 'p',
  nodes: [
    { id: 'a', position: at, data: { kind: 'model', path: '/m/a' } },
    { id: 'f', position: at, data: { kind: 'fisher', source: 'file', file: '/f', texts: [] } },
    { id: 'm', position: at, data: { kind: 'merge', method: 'fisher', params: {}, modelParams: {} } },
    { id: 'l', position: at, data: { kind: 'lora', adapter: '/ad', mode: 'model' } },
    { id: 'ta', position: at, data: { kind: 'merge', method: 'task_arithmetic', params: {}, modelParams: {} } },
  ],
  edges: [
    { id: 'e1', source: 'a', sourceHandle: 'weights', target: 'f', targetHandle: 'model' },
    { id: 'e2', source: 'a', sourceHandle: 'weights', target: 'm', targetHandle: 'models' },
    { id: 'e3', source: 'f', sourceHandle: 'fisher', target: 'm', targetHandle: 'fishers' },
    { id: 'e4', source: 'a', sourceHandle: 'weights', target: 'l', targetHandle: 'base' },
    { id: 'e5', source: 'l', sourceHandle: 'weights', target: 'ta', targetHandle: 'models' },
  ],
};

describe('handles after a change', () => {
  it('a merge leaving Fisher merging drops its Fisher edges; a LoRA switching mode drops edges from its old output', () => {
    const ed = useEditor.getState();
    ed.loadProject(project, null);
    useEditor.getState().updateData('m', { method: 'linear' });
    expect(useEditor.getState().edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e4', 'e5']);
    useEditor.getState().updateData('l', { mode: 'taskVector' });
    expect(useEditor.getState().edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e4']);
  });
});
