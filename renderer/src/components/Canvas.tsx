/**
 * The node graph: React Flow with typed handles, refused connections explained at the handle, and a
 * minimap when the user wants one and the canvas has room for it (minimap-fit.ts), which fits keep
 * clear of the nodes (fit-graph.ts).
 */
import { useCallback, useEffect, useRef, type MouseEvent as ReactMouseEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  type Connection,
  type FinalConnectionState,
  type IsValidConnection,
  useNodesInitialized,
} from '@xyflow/react';
import { validateConnection } from '../../../common/graph/validate-connection.js';
import { useEditor } from '../state/editor-store.js';
import { setFlowInstance } from '../state/flow-instance.js';
import { fitGraph, ZOOM_LIMITS } from '../state/fit-graph.js';
import type { FlowEdge, FlowNode } from '../state/flow-types.js';
import { useUi } from '../state/ui-store.js';
import { ModelNode } from './nodes/ModelNode.js';
import { MergeNode } from './nodes/MergeNode.js';
import { OutputNode } from './nodes/OutputNode.js';
import { AddNode, ScaleNode, TaskVectorNode } from './nodes/TaskVectorNodes.js';
import { AlignNode } from './nodes/AlignNode.js';
import { FisherNode } from './nodes/FisherNode.js';
import { LoraNode } from './nodes/LoraNode.js';
import { LayerAssemblyNode } from './nodes/LayerAssemblyNode.js';
import { minimapFits } from './minimap-fit.js';
import { useSizeRule } from './use-size-rule.js';

const nodeTypes = {
  model: ModelNode,
  merge: MergeNode,
  output: OutputNode,
  taskVector: TaskVectorNode,
  scale: ScaleNode,
  add: AddNode,
  align: AlignNode,
  fisher: FisherNode,
  lora: LoraNode,
  layerAssembly: LayerAssemblyNode,
};

// Props React Flow receives are compared by identity on every render of the canvas (every graph
// change): an inline function, array or object would reach its store each time and re-run every
// node's and edge's selector. Hence constants.
const MULTI_SELECTION_KEYS = ['Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: true };
const beginDrag = (): void => useEditor.getState().beginDrag();
// The controls' fit button fits as View → Fit does, clear of the minimap: React Flow's own fit,
// queued until its next render, takes the options of the last call, this one.
const fitFromControls = (): void => fitGraph({ padding: 0.15, duration: 200 });

/**
 * A plain click on a node selects that node alone. React Flow leaves the selection as it is when the
 * clicked node is already part of it (so that a press can drag the whole group): after Select All, or
 * an undo that brought nodes back selected, a click then a Delete removed them all. A drag that moved
 * is no click (React Flow swallows it), so dragging a selection still moves the group. Shift and
 * Ctrl/⌘ keep React Flow's handling (box selection, adding to and taking from the selection).
 */
const onNodeClick = (event: ReactMouseEvent, node: FlowNode): void => {
  if (event.shiftKey || event.ctrlKey || event.metaKey) return;
  useEditor.getState().selectOnly(node.id);
};

function pointOf(event: MouseEvent | TouchEvent): { x: number; y: number } {
  if ('changedTouches' in event && event.changedTouches.length) return { x: event.changedTouches[0].clientX, y: event.changedTouches[0].clientY };
  const m = event as MouseEvent;
  return { x: m.clientX, y: m.clientY };
}

export function Canvas() {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const wrapper = useRef<HTMLDivElement>(null);
  const minimapRoom = useSizeRule(wrapper, minimapFits);
  const minimapWanted = useUi((s) => s.minimap);
  const showMinimap = minimapWanted && minimapRoom;
  const initialized = useNodesInitialized();
  const fitRequest = useUi((s) => s.fitRequest);
  // An opened project is fitted once measured, and again when its layout moved nodes apart after
  // they grew (keep-apart.ts): what was fitted before may reach below the view.
  const layoutMoves = useEditor((s) => s.autoLayoutMoves);
  const fitted = useRef({ request: 0, moves: 0 });
  useEffect(() => {
    if (!initialized || (fitRequest === fitted.current.request && layoutMoves === fitted.current.moves)) return;
    fitted.current = { request: fitRequest, moves: layoutMoves };
    fitGraph({ padding: 0.1, duration: 0 });
  }, [initialized, fitRequest, layoutMoves]);

  const isValidConnection: IsValidConnection<FlowEdge> = useCallback((c) => {
    const s = useEditor.getState();
    return validateConnection({ nodes: s.nodes, edges: s.edges }, c).ok;
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const r = useEditor.getState().connect(c);
    if (!r.ok) useUi.getState().notify(r.reason, 'error', { role: 'connection' });
  }, []);

  // Dropped on a handle that refused: say why, where the pointer is.
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid || !state.fromHandle || !state.toHandle) return;
    const from = state.fromHandle;
    const to = state.toHandle;
    const c = from.type === 'source'
      ? { source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null }
      : { source: to.nodeId, sourceHandle: to.id ?? null, target: from.nodeId, targetHandle: from.id ?? null };
    if (from.type === to.type) {
      useUi.getState().notify(from.type === 'source' ? 'Connect an output (right side) to an input (left side).' : 'Connect an input to an output, not to another input.', 'error', { role: 'connection', at: pointOf(event) });
      return;
    }
    const s = useEditor.getState();
    const r = validateConnection({ nodes: s.nodes, edges: s.edges }, c);
    if (!r.ok) useUi.getState().notify(r.reason, 'error', { role: 'connection', at: pointOf(event) });
  }, []);

  return (
    <div className="canvas" ref={wrapper}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeClick={onNodeClick}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginDrag}
        onSelectionDragStart={beginDrag}
        onInit={setFlowInstance}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        minZoom={ZOOM_LIMITS.min}
        maxZoom={ZOOM_LIMITS.max}
        fitView
        proOptions={PRO_OPTIONS}
      >
        <Background gap={24} />
        {showMinimap && <MiniMap pannable zoomable ariaLabel="Minimap" />}
        <Controls showInteractive={false} onFitView={fitFromControls} />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="empty-hint">Empty canvas. Add nodes from the palette, or File → Open model folder…</div>
      )}
    </div>
  );
}
