/**
 * Run errors: which node an engine error is shown on, which errors an edit of the graph leaves
 * standing, and the signal that another project was opened (the run panel starts over on it).
 */
import { describe, expect, it } from 'vitest';
import { errorNode, onProjectReplaced, runErrorsAfterEdit } from '../../../renderer/src/commands/run-commands.js';
import { resolveHostPath } from '../../../renderer/src/host-path.js';
import { useEditor } from '../../../renderer/src/state/editor-store.js';
import type { FlowEdge, FlowNode } from '../../../renderer/src/state/flow-types.js';
import type { Project } from '../../../common/graph/project-schema.js';

const output = { nodeId: 'out', out: '/home/u/models/math' };
const models = [
  { nodeId: 'math', folder: '/home/u/models/math' },
  { nodeId: 'code', folder: '/home/u/models/code' },
];

describe('errorNode', () => {
  it('puts an error naming the output folder on the Output, even when that folder is a model’s', () => {
    expect(errorNode('/home/u/models/math', 'ties', output, models)).toBe('out');
  });
  it('puts an error naming the output’s parent (it cannot be made) on the Output', () => {
    expect(errorNode('/home/u/models', 'ties', output, models)).toBe('out');
  });
  it('puts an error naming a file of a model on that model', () => {
    expect(errorNode('/home/u/models/code/model.safetensors', 'ties', output, models)).toBe('code');
    expect(errorNode('/home/u/models/code/model.safetensors', 'ties', { nodeId: 'out', out: '/home/u/merged' }, models)).toBe('code');
  });
  it('falls back to the node the service named, or it when no file is named', () => {
    expect(errorNode('/elsewhere/x.json', 'ties', output, models)).toBe('ties');
    expect(errorNode(undefined, 'ties', output, models)).toBe('ties');
    // A folder whose name only starts like a model's is not inside it.
    expect(errorNode('/home/u/models/code2/a.safetensors', 'ties', null, models)).toBe('ties');
  });
  it('compares Windows paths as the service writes them', () => {
    expect(errorNode('C:\\m\\math', 'ties', { nodeId: 'out', out: resolveHostPath('C:\\m\\math\\', '/', '/') }, [])).toBe('out');
  });
});

describe('resolveHostPath', () => {
  it('resolves the output folder as the service does', () => {
    expect(resolveHostPath('merged', '/p/proj', '/home/u')).toBe('/p/proj/merged');
    expect(resolveHostPath('../out/./x/', '/p/proj', '/home/u')).toBe('/p/out/x');
    expect(resolveHostPath('~/out', '/p/proj', '/home/u')).toBe('/home/u/out');
    expect(resolveHostPath('~', '/p/proj', '/home/u')).toBe('/home/u');
    expect(resolveHostPath('/abs//out', '/p/proj', '/home/u')).toBe('/abs/out');
  });
});

const model = (id: string, path: string): FlowNode => ({ id, type: 'model', position: { x: 0, y: 0 }, data: { kind: 'model', path } }) as FlowNode;
const edge = (source: string, target: string, targetHandle = 'models'): FlowEdge => ({ id: `${source}-${target}`, source, target, sourceHandle: 'weights', targetHandle });
const mergeNode = (id: string, lambda: number): FlowNode =>
  ({ id, type: 'merge', position: { x: 0, y: 0 }, data: { kind: 'merge', method: 'ties', params: { lambda }, modelParams: {} } }) as unknown as FlowNode;
const outNode = (id: string): FlowNode => ({ id, type: 'output', position: { x: 0, y: 0 }, data: { kind: 'output', folder: '/o' } }) as unknown as FlowNode;

describe('runErrorsAfterEdit', () => {
  const a = model('a', '/m/a');
  const b = model('b', '/m/b');
  const other = model('other', '/m/other');
  const ties = mergeNode('ties', 1);
  const out = outNode('out');
  const before = { nodes: [a, b, other, ties, out], edges: [edge('a', 'ties', 'base'), edge('b', 'ties'), edge('ties', 'out', 'weights')] };
  const errors = { out: 'would overwrite the input', a: 'cannot read' };

  it('keeps every error when nodes only move or are selected (their data is the same)', () => {
    const moved = { ...before, nodes: before.nodes.map((n) => ({ ...n, position: { x: 5, y: 5 }, selected: true })) };
    expect(runErrorsAfterEdit(errors, before, moved)).toEqual(errors);
  });
  it('keeps errors of nodes the edit is not upstream of', () => {
    const edited = { ...before, nodes: before.nodes.map((n) => (n.id === 'other' ? model('other', '/m/elsewhere') : n)) };
    expect(runErrorsAfterEdit(errors, before, edited)).toEqual(errors);
  });
  it('drops the error of a node whose upstream changed, and of the node edited', () => {
    const edited = { ...before, nodes: before.nodes.map((n) => (n.id === 'ties' ? mergeNode('ties', 0.5) : n)) };
    expect(runErrorsAfterEdit(errors, before, edited)).toEqual({ a: 'cannot read' });
    const editedA = { ...before, nodes: before.nodes.map((n) => (n.id === 'a' ? model('a', '/m/a2') : n)) };
    expect(runErrorsAfterEdit(errors, before, editedA)).toEqual({});
  });
  it('drops it when a connection upstream changes (removed, or moved to another handle)', () => {
    expect(runErrorsAfterEdit(errors, before, { ...before, edges: before.edges.filter((e) => e.source !== 'b') })).toEqual({ a: 'cannot read' });
    const rewired = { ...before, edges: before.edges.map((e) => (e.source === 'a' ? edge('a', 'ties', 'models') : e)) };
    expect(runErrorsAfterEdit(errors, before, rewired)).toEqual({ a: 'cannot read' });
  });
  it('drops the error of a deleted node', () => {
    expect(runErrorsAfterEdit({ other: 'x' }, before, { ...before, nodes: before.nodes.filter((n) => n.id !== 'other') })).toEqual({});
  });
});

describe('onProjectReplaced', () => {
  it('fires when a project is opened or created, not on edits, undo or redo', () => {
    const project: Project = {
      format: 'crucible-project',
      version: 2,
      name: 'p',
      nodes: [{ id: 'm', position: { x: 0, y: 0 }, data: { kind: 'model', path: '/m' } }],
      edges: [],
    } as unknown as Project;
    let fired = 0;
    const off = onProjectReplaced(() => (fired += 1));
    const ed = () => useEditor.getState();
    ed().loadProject(project, '/p/a.crucible.json');
    expect(fired).toBe(1);
    ed().updateData('m', { path: '/m2' });
    ed().undo();
    ed().redo();
    ed().undo();
    ed().setRunErrors({ m: 'x' });
    expect(fired).toBe(1);
    ed().newProject();
    expect(fired).toBe(2);
    // Opening the same project again is another project too.
    ed().loadProject(project, '/p/a.crucible.json');
    ed().loadProject(project, '/p/a.crucible.json');
    expect(fired).toBe(4);
    off();
  });
});
