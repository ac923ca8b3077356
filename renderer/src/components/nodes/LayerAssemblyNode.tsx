/**
 * Layer assembly (mergekit's `slices:`, frankenmerges): one row per output slice, each naming its
 * sources (a lettered input and a layer range) and showing the output layers it fills
 * ("out 0–23 ← A 0–24"); rows can be added, removed and reordered. A merge method other than
 * passthrough blends a row's sources, with parameters for every row, per row and per source. Its
 * inputs may be earlier merges or assemblies, and it may feed a merge (a chain): its stage name,
 * dtype and seed are set here as on a merge node.
 */
import { memo, useState } from 'react';
import type { NodeProps } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { getMethod, METHODS } from '../../../../common/methods/registry.js';
import type { MethodDescriptor, MethodId, ParamSpec, ParamSpecMap } from '../../../../common/methods/types.js';
import { portsOf } from '../../../../common/graph/ports.js';
import { outputLayerCount, rowPlacements, rowText } from '../../../../common/graph/layer-assembly.js';
import type { LayerAssemblyNodeData, SliceRowData } from '../../../../common/graph/layer-assembly-schema.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { assemblyInputEntries, parseAssemblyInput, type AssemblyInputView } from '../../state/assembly-inputs.js';
import { addRow, addSource, moveRow, removeRow, removeSource, setRowParam, setSource, setSourceParam, withParam } from '../../state/assembly-rows.js';
import { ParamControl } from '../params/ParamControl.js';
import { useUi } from '../../state/ui-store.js';
import { curveSlot, type CurveTarget } from '../../state/curve-slot.js';
import { NodeFrame } from './NodeFrame.js';
import { InputPort, OutputPort } from './PortHandle.js';
import { MergeStageSettings } from './MergeStageSettings.js';


function LayerField({ label, value, onCommit }: { label: string; value: number; onCommit: (v: number) => void }) {
  const [text, setText] = useState(String(value));
  const [of, setOf] = useState(value);
  if (of !== value) {
    setOf(value);
    setText(String(value));
  }
  return (
    <input
      type="number"
      className="nodrag layer-field"
      aria-label={label}
      min={0}
      step={1}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = Number(e.target.value);
        if (e.target.value.trim() !== '' && Number.isInteger(v) && v >= 0) onCommit(v);
      }}
    />
  );
}

/**
 * The parameters of one level (every row, a row, a source); per-layer ones open the curve editor on
 * that level. Each field shows what it gives when empty: the level above's value (the curve
 * editor's slot says which), else the method's default.
 */
function Params({ data, method, scopes, values, owner, at, onChange }: { data: LayerAssemblyNodeData; method: MethodDescriptor; scopes: readonly string[]; values: ParamSpecMap; owner: string; at: Omit<CurveTarget, 'param'>; onChange: (name: string, v: ParamSpec | undefined) => void }) {
  const shown = method.params.filter((p) => scopes.includes(p.scope));
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((p) => {
        const slot = curveSlot(data, { ...at, param: p.name });
        return (
          <ParamControl
            key={p.name}
            param={p}
            value={values[p.name]}
            owner={owner}
            inherited={slot?.inherited}
            inheritedFrom={slot?.inheritedFrom ?? undefined}
            onChange={(v) => onChange(p.name, v)}
            onCurve={() => useUi.getState().set({ curve: { ...at, param: p.name } })}
          />
        );
      })}
    </>
  );
}

interface RowProps {
  id: string;
  data: LayerAssemblyNodeData;
  method: MethodDescriptor;
  index: number;
  text: string;
  inputs: AssemblyInputView[];
}

function Row({ id, data, method, index, text, inputs }: RowProps) {
  const row: SliceRowData = data.rows[index];
  const n = index + 1;
  const set = (rows: SliceRowData[], key: string) => useEditor.getState().updateData(id, { rows }, `rows:${id}:${key}`);
  const letter = (input: string) => inputs.find((i) => i.id === input)?.letter ?? '?';
  const blends = method.family !== 'assembly';
  const hasParams = method.params.length > 0;
  return (
    <li className="assembly-row" aria-label={`Row ${n}`}>
      <div className="assembly-row-head">
        <span className="row-text" title="Output layers (inclusive) ← each source's layer_range [start, end)">
          {text}
        </span>
        <span className="row-buttons">
          <button className="nodrag" aria-label={`Move row ${n} up`} title="Move up" disabled={index === 0} onClick={() => set(moveRow(data.rows, index, -1), `move${index}`)}>
            ↑
          </button>
          <button className="nodrag" aria-label={`Move row ${n} down`} title="Move down" disabled={index === data.rows.length - 1} onClick={() => set(moveRow(data.rows, index, 1), `move${index}`)}>
            ↓
          </button>
          <button className="nodrag" aria-label={`Remove row ${n}`} title="Remove row" onClick={() => set(removeRow(data.rows, index), `remove${index}`)}>
            ✕
          </button>
        </span>
      </div>
      {row.sources.map((s, k) => {
        const what = `Row ${n} source ${k + 1}`;
        const layers = inputs.find((i) => i.id === s.input)?.layers;
        return (
          <div className="assembly-source" key={k}>
            <select className="nodrag" aria-label={`${what} model`} value={inputs.some((i) => i.id === s.input) ? s.input : ''} onChange={(e) => set(setSource(data.rows, index, k, { input: e.target.value }), `input${index}.${k}`)}>
              {!inputs.some((i) => i.id === s.input) && <option value="">{s.input ? '? (not wired)' : 'choose…'}</option>}
              {inputs.map((i) => (
                <option key={i.id} value={i.id} title={i.label}>
                  {i.letter}
                </option>
              ))}
            </select>
            <span className="muted">layers</span>
            <LayerField label={`${what} start`} value={s.range[0]} onCommit={(v) => set(setSource(data.rows, index, k, { range: [v, s.range[1]] }), `start${index}.${k}`)} />
            <span>–</span>
            <LayerField label={`${what} end`} value={s.range[1]} onCommit={(v) => set(setSource(data.rows, index, k, { range: [s.range[0], v] }), `end${index}.${k}`)} />
            {layers !== null && layers !== undefined && <span className="muted">of {layers}</span>}
            {row.sources.length > 1 && (
              <button className="nodrag" aria-label={`Remove ${what}`} title="Remove source" onClick={() => set(removeSource(data.rows, index, k), `rmsrc${index}.${k}`)}>
                ✕
              </button>
            )}
          </div>
        );
      })}
      {blends && (
        <button className="link nodrag" aria-label={`Add a source to row ${n}`} disabled={inputs.length === 0} onClick={() => set(addSource(data.rows, index, inputs[0]?.id ?? ''), `addsrc${index}`)}>
          + source
        </button>
      )}
      {hasParams && (
        <details className="nodrag assembly-row-params">
          <summary>Parameters of row {n}</summary>
          <Params data={data} method={method} scopes={['global', 'model']} values={row.params} owner={`row ${n}`} at={{ mergeId: id, sourceId: null, row: index }} onChange={(name, v) => set(setRowParam(data.rows, index, name, v), `rp${index}.${name}`)} />
          {row.sources.map((s, k) => (
            <fieldset key={k} className="param-group per-model">
              <legend>
                Source {k + 1} ({letter(s.input)})
              </legend>
              <Params data={data} method={method} scopes={['model']} values={s.params} owner={`row ${n} source ${k + 1}`} at={{ mergeId: id, sourceId: null, row: index, source: k }} onChange={(name, v) => set(setSourceParam(data.rows, index, k, name, v), `sp${index}.${k}.${name}`)} />
            </fieldset>
          ))}
        </details>
      )}
    </li>
  );
}

function LayerAssemblyNodeImpl({ id, data }: NodeProps<FlowNode>) {
  const entries = useEditor(useShallow((s) => assemblyInputEntries(s, id)));
  if (data.kind !== 'layerAssembly') return null;
  const method = getMethod(data.method);
  if (!method) return <NodeFrame id={id} title="Layer assembly" kind="layerAssembly" subtitle={data.method} />;
  const inputs = entries.map(parseAssemblyInput);
  const letters = new Map(inputs.map((i) => [i.id, i.letter]));
  const placements = rowPlacements(data.rows);
  const layers = outputLayerCount(data.rows);
  const update = (patch: Partial<LayerAssemblyNodeData>, key: string) => useEditor.getState().updateData(id, patch, `${key}:${id}`);
  return (
    <NodeFrame id={id} title="Layer assembly" kind="layerAssembly" subtitle={method.family === 'assembly' ? 'frankenmerge' : method.label}>
      <select className="nodrag method-select" aria-label="Merge method" value={data.method} onChange={(e) => update({ method: e.target.value as MethodId }, 'method')}>
        {METHODS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
      </select>
      <input
        className="nodrag stage-label"
        aria-label="Stage name"
        title="The name this assembly goes by when it feeds a merge or another assembly (a mergekit-multi stage name)"
        placeholder={`stage name (${id})`}
        value={data.label ?? ''}
        onChange={(e) => update({ label: e.target.value === '' ? undefined : e.target.value }, 'label')}
      />
      <MergeStageSettings id={id} data={data} />
      {portsOf(data).inputs.map((p) => (
        <InputPort key={p.id} id={p.id} label={p.label} accepts={p.accepts} hint={p.hint} />
      ))}
      {inputs.length > 0 ? (
        <ul className="assembly-inputs" aria-label="Inputs">
          {inputs.map((i) => (
            <li key={i.id}>
              <b>{i.letter}</b> {i.label}
              {i.layers !== null && <span className="muted"> · {i.layers} layers</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Wire Model or merge nodes into Models: rows take layer ranges from them.</p>
      )}
      {method.params.length > 0 && (
        <details className="nodrag assembly-params">
          <summary>Parameters for every row</summary>
          <Params data={data} method={method} scopes={['global', 'model']} values={data.params} owner="every row" at={{ mergeId: id, sourceId: null }} onChange={(name, v) => update({ params: withParam(data.params, name, v) }, `param.${name}`)} />
        </details>
      )}
      <ol className="assembly-rows" aria-label="Rows">
        {data.rows.map((_, i) => (
          <Row key={i} id={id} data={data} method={method} index={i} text={rowText(data.rows[i], placements[i], letters)} inputs={inputs} />
        ))}
      </ol>
      <div className="node-actions">
        <button
          className="nodrag"
          onClick={() => update({ rows: addRow(data.rows, inputs[0]?.id, (input) => inputs.find((i) => i.id === input)?.layers ?? null) }, 'addrow')}
        >
          + Add row
        </button>
        <span className="muted" aria-label="Output layers">
          {layers} output layer{layers === 1 ? '' : 's'}
        </span>
      </div>
      <OutputPort id="weights" label="assembled weights" gives="weights" />
    </NodeFrame>
  );
}

export const LayerAssemblyNode = memo(LayerAssemblyNodeImpl);
