/** Dropping onto the window: project files open, Crucible outputs reopen their recipe, other folders and files become Model nodes. */
import { describe, expect, it } from 'vitest';
import { needsHeader, planDrop } from '../../../renderer/src/commands/drop-plan.js';

describe('planDrop', () => {
  it('a model folder without Crucible provenance (or one whose header cannot be read) becomes a Model node, as before', () => {
    expect(planDrop([{ path: '/models/llama' }])).toEqual({ kind: 'addModels', paths: ['/models/llama'] });
    expect(planDrop([{ path: '/models/a' }, { path: '/models/b.safetensors' }])).toEqual({ kind: 'addModels', paths: ['/models/a', '/models/b.safetensors'] });
  });

  it('an output Crucible wrote reopens its recipe, whether it recorded the graph or only the recipe, as a folder or a file', () => {
    expect(planDrop([{ path: '/outs/merged', crucibleOutput: 'graph' }])).toEqual({ kind: 'openOutput', path: '/outs/merged', ignored: [] });
    expect(planDrop([{ path: '/outs/m/model-00001-of-00002.safetensors', crucibleOutput: 'recipe' }])).toEqual({
      kind: 'openOutput',
      path: '/outs/m/model-00001-of-00002.safetensors',
      ignored: [],
    });
  });

  it('a project file opens; its header is never read', () => {
    expect(planDrop([{ path: 'C:\\work\\Merge.CRUCIBLE.json' }])).toEqual({ kind: 'openProject', path: 'C:\\work\\Merge.CRUCIBLE.json', ignored: [] });
    expect(needsHeader('/p/x.crucible.json')).toBe(false);
    expect(needsHeader('/outs/merged')).toBe(true);
  });

  it('one project at a time: the first project or output in the drop opens, the rest are left alone (not added to it)', () => {
    expect(planDrop([{ path: '/models/a' }, { path: '/outs/merged', crucibleOutput: 'graph' }, { path: '/p/x.crucible.json' }])).toEqual({
      kind: 'openOutput',
      path: '/outs/merged',
      ignored: ['/models/a', '/p/x.crucible.json'],
    });
  });

  it('nothing usable dropped: nothing to do', () => {
    expect(planDrop([])).toBeNull();
    expect(planDrop([{ path: '' }])).toBeNull();
  });
});
