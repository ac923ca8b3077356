/**
 * A Model node's title follows a path typed into it that reads as a checkpoint; a path that does
 * not (a typo, a model not on this machine) leaves the node the name it had, everywhere it is named
 * (its title, the merge's rows, messages). A node with no path yet takes the name of what is typed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import type { ModelNodeData, Project } from '../../../common/graph/project-schema.js';
import { ProjectSchema } from '../../../common/graph/project-schema.js';
import { useEditor } from '../../../renderer/src/state/editor-store.js';
import { modelPathChange, modelRename } from '../../../renderer/src/state/model-path-change.js';

// The service: checkpoints exist under /models only.
vi.mock('../../../renderer/src/api/service.js', () => ({
  service: () => ({
    call: async (_method: string, params: { path: string }) => {
      if (!params.path.startsWith('/models/')) throw new Error(`model '${params.path}' is not available locally: ${params.path} does not exist`);
      const summary: CheckpointSummary = { path: params.path, folder: params.path, architecture: 'LlamaForCausalLM', layerCount: 2, parameterCount: 10, dtype: 'F32', fileCount: 1, totalBytes: 40, tensors: [] };
      return summary;
    },
  }),
}));
const { setModelPath } = await import('../../../renderer/src/commands/model-path-commands.js');
const { readHeader } = await import('../../../renderer/src/commands/read-header.js');

const model = (path: string, label?: string): ModelNodeData => ({ kind: 'model', path, ...(label === undefined ? {} : { label }) });

describe('modelPathChange', () => {
  it('a path that reads as a checkpoint names the node, even one that kept an earlier name', () => {
    expect(nodeLabel({ ...model('/models/math'), ...modelPathChange(model('/models/math'), '/models/code', true) })).toBe('Model code');
    expect(nodeLabel({ ...model('/gone/x', 'math'), ...modelPathChange(model('/gone/x', 'math'), '/models/code', true) })).toBe('Model code');
  });

  it('a path that does not, or not known yet, leaves the node its name', () => {
    expect(nodeLabel({ ...model('/models/math'), ...modelPathChange(model('/models/math'), '/nowhere/my-finetune', false) })).toBe('Model math');
    expect(nodeLabel({ ...model('/models/math'), ...modelPathChange(model('/models/math'), '/nowhere/my-finetune', undefined) })).toBe('Model math');
    // An imported Hugging Face id keeps its name through a second path that is not there either.
    const imported = model('mistralai/Mistral-7B-v0.1');
    const typo = { ...imported, ...modelPathChange(imported, '/modles/mistral', false) };
    expect(nodeLabel(typo)).toBe('Model Mistral-7B-v0.1');
    expect(nodeLabel({ ...typo, ...modelPathChange(typo, '/modles/mistral-7b', false) })).toBe('Model Mistral-7B-v0.1');
  });

  it('a node the user renamed keeps its name through any path; an empty name gives the naming back to the path', () => {
    const named = { ...model('/models/math'), ...modelRename('  Math SFT ') };
    expect(named).toMatchObject({ label: 'Math SFT', named: true });
    expect(nodeLabel({ ...named, ...modelPathChange(named, '/models/code', true) })).toBe('Model Math SFT');
    expect(nodeLabel({ ...named, ...modelPathChange(named, '/nowhere/x', false) })).toBe('Model Math SFT');
    const cleared = { ...named, ...modelRename('   ') };
    expect(cleared.named).toBeUndefined();
    expect(nodeLabel({ ...cleared, ...modelPathChange(cleared, '/models/code', true) })).toBe('Model code');
  });

  it('a node with no path yet takes the name of the path typed, found or not', () => {
    expect(nodeLabel({ ...model(''), ...modelPathChange(model(''), '/nowhere/my-finetune', false) })).toBe('Model my-finetune');
  });

  it('the name is kept in the project file', () => {
    const p: Project = { format: 'crucible-project', version: 2, name: 'p', nodes: [{ id: 'm', position: { x: 0, y: 0 }, data: model('/nowhere/x', 'math') }], edges: [] };
    expect(ProjectSchema.safeParse(JSON.parse(JSON.stringify(p))).success).toBe(true);
  });
});

const PROJECT: Project = {
  format: 'crucible-project',
  version: 2,
  name: 'p',
  nodes: [
    { id: 'm', position: { x: 0, y: 0 }, data: model('/models/math') },
    { id: 'merge', position: { x: 400, y: 0 }, data: { kind: 'merge', method: 'linear', params: {}, modelParams: {} } },
  ],
  edges: [{ id: 'e', source: 'm', sourceHandle: 'weights', target: 'merge', targetHandle: 'models' }],
};

const ed = () => useEditor.getState();
const title = () => nodeLabel(ed().nodes.find((n) => n.id === 'm')!.data);
const path = () => (ed().nodes.find((n) => n.id === 'm')!.data as ModelNodeData).path;
const settled = () => new Promise((r) => setTimeout(r, 0));

describe('setModelPath', () => {
  beforeEach(() => ed().loadProject(PROJECT, '/p/p.crucible.json'));

  it('takes a missing path at once and keeps the name; one undo brings back the path', async () => {
    setModelPath('m', '/nowhere/my-finetune');
    expect(path()).toBe('/nowhere/my-finetune');
    await settled();
    expect(ed().headers['/nowhere/my-finetune']?.state).toBe('error');
    expect(title()).toBe('Model math');
    ed().undo();
    expect(path()).toBe('/models/math');
    expect(title()).toBe('Model math');
  });

  it('names the node after a found path once read, in the same undo step', async () => {
    setModelPath('m', '/models/code');
    await settled();
    expect(ed().headers['/models/code']?.state).toBe('ok');
    expect(title()).toBe('Model code');
    ed().undo();
    expect(title()).toBe('Model math');
    ed().redo();
    expect(title()).toBe('Model code');
  });
});

describe('a name kept while the path did not read', () => {
  const project = (data: ModelNodeData): Project => ({ ...PROJECT, nodes: [{ ...PROJECT.nodes[0], data }, PROJECT.nodes[1]] });

  it('gives way to the path once it reads (the model downloaded since), without marking the project modified', async () => {
    // Saved while /models/late was not there: the node kept the name "math".
    ed().loadProject(project(model('/models/late', 'math')), '/p/p.crucible.json');
    expect(title()).toBe('Model math');
    await readHeader('/models/late', true);
    expect(ed().headers['/models/late']?.state).toBe('ok');
    expect(title()).toBe('Model late');
    expect(ed().dirty).toBe(false);
  });

  it('stays while the path still does not read, and a name the user gave stays either way', async () => {
    ed().loadProject(project(model('/nowhere/late', 'math')), '/p/p.crucible.json');
    await readHeader('/nowhere/late', true);
    expect(ed().headers['/nowhere/late']?.state).toBe('error');
    expect(title()).toBe('Model math');
    ed().loadProject(project({ ...model('/models/late'), label: 'Math SFT', named: true }), '/p/p.crucible.json');
    await readHeader('/models/late', true);
    expect(title()).toBe('Model Math SFT');
  });
});

