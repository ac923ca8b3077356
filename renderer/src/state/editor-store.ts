/**
 * The editor's state: the graph (React Flow nodes carrying project data), undo/redo history,
 * clipboard, checkpoint headers and per-node validity (kept current after every change: only the
 * connected parts a change touched are validated again). One store update per edit.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { create } from 'zustand';
import type { CheckpointSummary } from '../../../common/contract/checkpoint.js';
import type { ParamSpec } from '../../../common/methods/types.js';
import { getMethod } from '../../../common/methods/registry.js';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import { portsOf } from '../../../common/graph/ports.js';
import type { HeaderState } from '../../../common/graph/validate-graph.js';
import type { NodeData, NodeKind, Project } from '../../../common/graph/project-schema.js';
import type { MethodId } from '../../../common/methods/types.js';
import type { Validity } from '../../../common/graph/validity.js';
import { copySelection, pasteClip } from './clipboard.js';
import type { FlowEdge, FlowNode, GraphSnapshot } from './flow-types.js';
import { problemsOf, revalidate, touchedNodes } from './incremental-problems.js';
import { newNodeData, newNodeId } from './new-node.js';
import { keepApart } from './keep-apart.js';
import { keptNameSettled } from './model-path-change.js';
import { flowToProject, projectToFlow } from './project-convert.js';

const HISTORY_LIMIT = 200;
const COALESCE_MS = 800;

/** A graph in the undo history, with the version naming its content (see EditorState.version). */
export interface HistoryEntry extends GraphSnapshot {
  version: number;
}

/**
 * The graph of an undo or redo step as it is shown: what the step brings back (deleted nodes and
 * edges) is selected, to be seen, or deleted again; a step that brings nothing back keeps the
 * selection of the nodes and edges still there. The selection the step's snapshot was taken with is
 * not restored: it is whatever was selected before that edit, which may be long gone from view.
 */
export function withStepSelection(step: GraphSnapshot, current: GraphSnapshot): GraphSnapshot {
  const nodesNow = new Set(current.nodes.map((n) => n.id));
  const edgesNow = new Set(current.edges.map((e) => e.id));
  const nodesBack = step.nodes.filter((n) => !nodesNow.has(n.id)).map((n) => n.id);
  const edgesBack = step.edges.filter((e) => !edgesNow.has(e.id)).map((e) => e.id);
  const bringsBack = nodesBack.length + edgesBack.length > 0;
  const selectedNodes = new Set(bringsBack ? nodesBack : current.nodes.filter((n) => n.selected).map((n) => n.id));
  const selectedEdges = new Set(bringsBack ? edgesBack : current.edges.filter((e) => e.selected).map((e) => e.id));
  return { nodes: step.nodes.map((n) => withSelected(n, selectedNodes.has(n.id))), edges: step.edges.map((e) => withSelected(e, selectedEdges.has(e.id))) };
}

/** The same object when its selection is already right (React Flow then has nothing to update). */
function withSelected<T extends { selected?: boolean }>(x: T, selected: boolean): T {
  return !!x.selected === selected ? x : { ...x, selected };
}

export interface EditorState {
  nodes: FlowNode[];
  edges: FlowEdge[];
  name: string;
  path: string | null;
  /** The graph differs from what was last saved or opened (version !== savedVersion). */
  dirty: boolean;
  /** Increases on every change of the graph (autosave watches it). */
  revision: number;
  /**
   * Names the graph's content: every edit makes a new one; undo and redo bring back the version of
   * the state they return to, so undoing back to what was saved is clean again.
   */
  version: number;
  /** The version last saved or opened; null when what is shown was never saved (restored autosave). */
  savedVersion: number | null;
  headers: Record<string, HeaderState>;
  /** Reason per node, null when valid. */
  problems: Record<string, string | null>;
  /** Errors a run reported, shown on the node that caused them. */
  runErrors: Record<string, string>;
  past: HistoryEntry[];
  future: HistoryEntry[];
  clipboard: GraphSnapshot | null;
  historyKey: string | null;
  historyAt: number;
  defaultOutputDir: string;
  /**
   * The graph was laid out by the app (an imported recipe, a recipe reopened from an output) and no
   * node has been moved since: nodes that grow once measured or once their header is read (a Model
   * node saying why its checkpoint is missing) push those they overlap down (keep-apart.ts).
   */
  autoLayout: boolean;
  /** Increases each time autoLayout moved nodes (the canvas then fits the view again). */
  autoLayoutMoves: number;

  /** `laidOut`: the project's positions come from the app's layout, not from the user (see autoLayout). */
  loadProject(project: Project, path: string | null, opts?: { dirty?: boolean; laidOut?: boolean }): void;
  newProject(): void;
  toProject(viewport?: { x: number; y: number; zoom: number }): Project;
  /** `version`: the graph's version when the saved project was taken (default: the current one). */
  markSaved(path: string, version?: number): void;
  setDefaultOutputDir(dir: string): void;

  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  beginDrag(): void;
  addNode(kind: NodeKind, position: { x: number; y: number }, method?: MethodId): string;
  connect(c: Connection): Validity;
  updateData(id: string, patch: Partial<NodeData>, historyKey?: string): void;
  /** Completes the last edit of a node's data with what was learnt since (a header read): no undo step of its own. */
  amendData(id: string, patch: Partial<NodeData>): void;
  setParam(mergeId: string, name: string, value: ParamSpec | undefined): void;
  setModelParam(mergeId: string, sourceId: string, name: string, value: ParamSpec | undefined): void;
  deleteSelected(): void;
  selectAll(): void;
  /** Select this node and nothing else (a plain click on a node). */
  selectOnly(nodeId: string): void;
  copy(): void;
  cut(): void;
  paste(): void;
  undo(): void;
  redo(): void;
  setHeader(path: string, state: HeaderState): void;
  setRunErrors(errors: Record<string, string>): void;
}

export const useEditor = create<EditorState>()((set, get) => {
  let lastVersion = 0;
  /**
   * The history entry recording the current graph for undo before a change (coalescing repeated edits
   * of one control), as a state patch: commit applies it with the change, in the same update.
   */
  const remember = (key?: string): Partial<EditorState> => {
    const s = get();
    const now = Date.now();
    if (key && key === s.historyKey && now - s.historyAt < COALESCE_MS) return { historyAt: now };
    return {
      past: [...s.past.slice(-HISTORY_LIMIT + 1), { nodes: s.nodes, edges: s.edges, version: s.version }],
      future: [],
      historyKey: key ?? null,
      historyAt: now,
    };
  };
  /**
   * Apply a new graph: validate again what the change touched; a new version unless `version` is
   * given (undo and redo give the one of the state they bring back).
   */
  const commit = (nodes: FlowNode[], edges: FlowEdge[], extra: Partial<EditorState> = {}, version = ++lastVersion): void => {
    const s = get();
    const next = { nodes, edges };
    const problems = revalidate(s.problems, next, touchedNodes(s, next), (p) => s.headers[p]);
    set({ nodes, edges, problems, version, dirty: version !== s.savedVersion, revision: s.revision + 1, ...extra });
  };

  return {
    nodes: [],
    edges: [],
    name: 'Untitled',
    path: null,
    dirty: false,
    revision: 0,
    version: 0,
    savedVersion: 0,
    headers: {},
    problems: {},
    runErrors: {},
    past: [],
    future: [],
    clipboard: null,
    historyKey: null,
    historyAt: 0,
    defaultOutputDir: '',
    autoLayout: false,
    autoLayoutMoves: 0,

    loadProject(project, path, opts) {
      const { nodes, edges } = projectToFlow(project);
      const s = get();
      const version = ++lastVersion;
      const dirty = opts?.dirty ?? false;
      set({
        nodes,
        edges,
        name: project.name,
        path,
        dirty,
        version,
        savedVersion: dirty ? null : version,
        revision: s.revision + 1,
        past: [],
        future: [],
        // The last project's edit is no step to coalesce with.
        historyKey: null,
        runErrors: {},
        problems: problemsOf({ nodes, edges }, (p) => s.headers[p]),
        autoLayout: opts?.laidOut ?? false,
      });
    },
    newProject() {
      const s = get();
      const version = ++lastVersion;
      set({ nodes: [], edges: [], name: 'Untitled', path: null, dirty: false, version, savedVersion: version, revision: s.revision + 1, past: [], future: [], historyKey: null, runErrors: {}, problems: {}, autoLayout: false });
    },
    toProject(viewport) {
      const s = get();
      return flowToProject(s.name, s.nodes, s.edges, viewport);
    },
    markSaved(path, version = get().version) {
      const name = (path.split(/[\\/]/).pop() ?? 'Untitled').replace(/\.crucible\.json$/i, '');
      // An edit made while the file was being written is not in it: still unsaved.
      set({ path, dirty: get().version !== version, name, savedVersion: version });
    },
    setDefaultOutputDir(dir) {
      set({ defaultOutputDir: dir });
    },

    onNodesChange(changes) {
      const s = get();
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      const history = structural ? remember() : {};
      const nodes = applyNodeChanges(changes, s.nodes);
      const moved = changes.some((c) => c.type === 'position' && !c.dragging);
      // A node the user moves (dragged, or by keys) makes the layout theirs.
      const autoLayout = s.autoLayout && !changes.some((c) => c.type === 'position');
      if (structural || moved) commit(nodes, s.edges, { ...history, autoLayout });
      else if (autoLayout && changes.some((c) => c.type === 'dimensions')) {
        const apart = keepApart(nodes);
        if (apart === nodes) set({ nodes });
        else set({ nodes: apart, revision: s.revision + 1, autoLayoutMoves: s.autoLayoutMoves + 1 });
      } else set({ nodes, autoLayout });
    },
    onEdgesChange(changes) {
      const s = get();
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      const edges = applyEdgeChanges(changes, s.edges);
      if (structural) commit(s.nodes, edges, remember());
      else set({ edges });
    },
    beginDrag() {
      set(remember());
    },
    addNode(kind, position, method) {
      const history = remember();
      const s = get();
      const id = newNodeId(kind);
      const node: FlowNode = {
        id,
        type: kind,
        position,
        selected: true,
        data: newNodeData(kind, { method, outputFolder: s.defaultOutputDir ? `${s.defaultOutputDir}/merged` : '' }),
      };
      commit([...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], s.edges, history);
      return id;
    },
    connect(c) {
      const s = get();
      const r = validateConnection({ nodes: s.nodes, edges: s.edges }, c);
      if (!r.ok) return r;
      const history = remember();
      const edge: FlowEdge = {
        id: `e-${c.source}-${c.sourceHandle ?? ''}-${c.target}-${c.targetHandle ?? ''}`,
        source: c.source,
        sourceHandle: c.sourceHandle,
        target: c.target,
        targetHandle: c.targetHandle,
      };
      let nodes = s.nodes;
      const target = s.nodes.find((n) => n.id === c.target);
      if (target?.data.kind === 'merge' && c.targetHandle === 'models') {
        const data = target.data;
        const needsWeight = getMethod(data.method)?.params.some((p) => p.name === 'weight' && p.type === 'number' && p.default === undefined);
        // weight has no default in the spec (it is required); a new input starts at 1 so the node is
        // runnable, unless the node sets a weight for all models, which the input then inherits.
        if (needsWeight && !data.modelParams[c.source]?.weight && data.params.weight === undefined) {
          const modelParams = { ...data.modelParams, [c.source]: { ...data.modelParams[c.source], weight: 1 } };
          nodes = s.nodes.map((n) => (n.id === target.id ? { ...n, data: { ...data, modelParams } } : n));
        }
      }
      commit(nodes, [...s.edges, edge], history);
      return r;
    },
    updateData(id, patch, historyKey) {
      const history = remember(historyKey ?? `data:${id}:${Object.keys(patch).join(',')}`);
      const s = get();
      const nodes = s.nodes.map((n) => (n.id === id ? ({ ...n, data: { ...n.data, ...patch } as NodeData } as FlowNode) : n));
      let edges = s.edges;
      // Changing a merge method (Fisher inputs) or what a LoRA node gives can remove handles: drop edges that lost theirs.
      const changed = nodes.find((n) => n.id === id);
      if (changed && ('method' in patch || 'mode' in patch)) {
        const ports = portsOf(changed.data);
        const inputs = new Set(ports.inputs.map((p) => p.id));
        edges = edges.filter((e) => (e.target !== id || inputs.has(e.targetHandle ?? '')) && (e.source !== id || e.sourceHandle === ports.output?.id));
      }
      commit(nodes, edges, history);
    },
    amendData(id, patch) {
      const s = get();
      commit(s.nodes.map((n) => (n.id === id ? ({ ...n, data: { ...n.data, ...patch } as NodeData } as FlowNode) : n)), s.edges);
    },
    setParam(mergeId, name, value) {
      const history = remember(`param:${mergeId}:${name}`);
      const s = get();
      const nodes = s.nodes.map((n) => {
        if (n.id !== mergeId || n.data.kind !== 'merge') return n;
        const params = { ...n.data.params };
        if (value === undefined) delete params[name];
        else params[name] = value;
        return { ...n, data: { ...n.data, params } };
      });
      commit(nodes, s.edges, history);
    },
    setModelParam(mergeId, sourceId, name, value) {
      const history = remember(`mparam:${mergeId}:${sourceId}:${name}`);
      const s = get();
      const nodes = s.nodes.map((n) => {
        if (n.id !== mergeId || n.data.kind !== 'merge') return n;
        const own = { ...n.data.modelParams[sourceId] };
        if (value === undefined) delete own[name];
        else own[name] = value;
        return { ...n, data: { ...n.data, modelParams: { ...n.data.modelParams, [sourceId]: own } } };
      });
      commit(nodes, s.edges, history);
    },
    deleteSelected() {
      const s = get();
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (!gone.size && edges.length === s.edges.length) return;
      commit(
        s.nodes.filter((n) => !gone.has(n.id)),
        edges,
        remember(),
      );
    },
    selectAll() {
      const s = get();
      set({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })), edges: s.edges.map((e) => (e.selected ? e : { ...e, selected: true })) });
    },
    selectOnly(nodeId) {
      const s = get();
      if (s.nodes.every((n) => !!n.selected === (n.id === nodeId)) && !s.edges.some((e) => e.selected)) return;
      set({
        nodes: s.nodes.map((n) => withSelected(n, n.id === nodeId)),
        edges: s.edges.map((e) => withSelected(e, false)),
      });
    },
    copy() {
      const s = get();
      const clip = copySelection(s.nodes, s.edges);
      if (clip) set({ clipboard: clip });
    },
    cut() {
      get().copy();
      get().deleteSelected();
    },
    paste() {
      const s = get();
      if (!s.clipboard) return;
      const history = remember();
      const pasted = pasteClip(s.clipboard, 40);
      commit(
        [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
        [...s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges],
        // Pasting again steps further.
        { ...history, clipboard: { nodes: pasted.nodes, edges: pasted.edges } },
      );
    },
    undo() {
      const s = get();
      const prev = s.past[s.past.length - 1];
      if (!prev) return;
      const g = withStepSelection(prev, s);
      commit(g.nodes, g.edges, { past: s.past.slice(0, -1), future: [{ nodes: s.nodes, edges: s.edges, version: s.version }, ...s.future], historyKey: null }, prev.version);
    },
    redo() {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      const g = withStepSelection(next, s);
      commit(g.nodes, g.edges, { future: s.future.slice(1), past: [...s.past, { nodes: s.nodes, edges: s.edges, version: s.version }], historyKey: null }, next.version);
    },
    setHeader(path, state) {
      const s = get();
      const headers = { ...s.headers, [path]: state };
      const readers = s.nodes.filter((n) => n.data.kind === 'model' && n.data.path === path).map((n) => n.id);
      // A path that reads: the nodes that kept a name while it did not follow it now (learnt, not
      // edited: no undo step, and the project is not marked modified for it).
      let nodes = s.nodes;
      if (state.state === 'ok') {
        nodes = s.nodes.map((n) => {
          const patch = n.data.kind === 'model' ? keptNameSettled(n.data, path) : null;
          return patch ? ({ ...n, data: { ...n.data, ...patch } as NodeData } as FlowNode) : n;
        });
        if (nodes.every((n, i) => n === s.nodes[i])) nodes = s.nodes;
      }
      const renamed = nodes === s.nodes ? {} : { nodes, revision: s.revision + 1 };
      set({ headers, ...renamed, problems: revalidate(s.problems, { ...s, nodes }, readers, (p) => headers[p]) });
    },
    setRunErrors(errors) {
      set({ runErrors: errors });
    },
  };
});

export type { CheckpointSummary };
