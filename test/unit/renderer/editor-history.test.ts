import { beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../../common/graph/load-project.js';
import type { Project } from '../../../common/graph/project-schema.js';
import { useEditor } from '../../../renderer/src/state/editor-store.js';

function demo(): Project {
  const r = loadProject(JSON.parse(readFileSync(fileURLToPath(new URL('../../../assets/demo/demo.crucible.json', import.meta.url)), 'utf8')), 'demo');
  if (!r.ok) throw new Error(r.reason);
  return r.project;
}

const ed = () => useEditor.getState();
const selectedIds = () => [...ed().nodes.filter((n) => n.selected).map((n) => n.id), ...ed().edges.filter((e) => e.selected).map((e) => e.id)];

beforeEach(() => ed().loadProject(demo(), '/p/demo.crucible.json'));

describe('unsaved changes (the title dot)', () => {
  it('go away when undo comes back to what was opened, and return with redo; selecting is no change', () => {
    ed().selectAll();
    ed().selectOnly('ties');
    expect(ed().dirty).toBe(false);
    ed().setParam('ties', 'lambda', 0.6);
    expect(ed().dirty).toBe(true);
    ed().undo();
    expect(ed().dirty).toBe(false);
    ed().redo();
    expect(ed().dirty).toBe(true);
  });

  it('stay for restored autosaved work, which was never saved, whatever is undone', () => {
    ed().loadProject(demo(), null, { dirty: true });
    ed().setParam('ties', 'lambda', 0.6);
    ed().undo();
    expect(ed().dirty).toBe(true);
    // And a project opened after it starts clean again.
    ed().loadProject(demo(), '/p/demo.crucible.json');
    ed().setParam('ties', 'lambda', 0.6);
    ed().undo();
    expect(ed().dirty).toBe(false);
  });

  it('follow the last save: undo away from it is dirty, redo back to it clean', () => {
    ed().setParam('ties', 'lambda', 0.6);
    ed().markSaved('/p/mine.crucible.json');
    expect(ed().dirty).toBe(false);
    ed().undo();
    expect(ed().dirty).toBe(true);
    ed().redo();
    expect(ed().dirty).toBe(false);
  });

  it('stay for an edit made while the save was being written (the file has the graph of before)', () => {
    ed().setParam('ties', 'lambda', 0.6);
    const taken = ed().version; // the project is taken, the write begins
    ed().setParam('ties', 'normalize', false); // an edit before the write returns
    ed().markSaved('/p/mine.crucible.json', taken);
    expect(ed().dirty).toBe(true);
    ed().undo(); // back to what the file holds
    expect(ed().dirty).toBe(false);
  });

  it('count coalesced edits of one control as one step, and an edit after undo as new', () => {
    ed().setParam('ties', 'lambda', 0.6);
    ed().setParam('ties', 'lambda', 0.7);
    ed().undo();
    expect(ed().dirty).toBe(false);
    ed().setParam('ties', 'lambda', 0.8);
    ed().setParam('ties', 'lambda', 1);
    // Same numbers as opened, but an edit: no content comparison.
    expect(ed().dirty).toBe(true);
  });

  it('an edit right after opening a project is its own step, even of a control edited just before in the last one', () => {
    ed().setParam('ties', 'lambda', 0.6);
    ed().loadProject(demo(), '/p/demo.crucible.json');
    ed().setParam('ties', 'lambda', 0.7);
    expect(ed().past).toHaveLength(1);
    ed().undo();
    expect(ed().dirty).toBe(false);
  });
});

describe('selection across undo and redo', () => {
  it('undoing a delete selects what comes back; selectOnly then leaves one node selected', () => {
    ed().selectAll();
    ed().deleteSelected();
    expect(ed().nodes).toHaveLength(0);
    ed().undo();
    expect(ed().nodes).toHaveLength(5);
    expect(selectedIds().sort()).toEqual(['base', 'code', 'e-base', 'e-code', 'e-math', 'e-out', 'math', 'out', 'ties']);
    ed().selectOnly('math');
    expect(selectedIds()).toEqual(['math']);
    ed().deleteSelected();
    expect(ed().nodes.map((n) => n.id)).toEqual(['base', 'code', 'ties', 'out']);
  });

  it('an undo that brings nothing back keeps the present selection, not the one the edit was made with', () => {
    ed().selectOnly('math');
    ed().setParam('ties', 'lambda', 0.6);
    ed().selectOnly('code');
    ed().undo();
    expect(selectedIds()).toEqual(['code']);
    ed().redo();
    expect(selectedIds()).toEqual(['code']);
  });
});
