/**
 * The per-layer curve editor for a numeric parameter: anchors of a mergekit gradient, optional
 * filters (self_attn, mlp, any substring), drawn over the real layer map of the connected models,
 * with the value every tensor will get, embeddings and lm_head included.
 */
import { useMemo } from 'react';
import { getMethod } from '../../../common/methods/registry.js';
import type { NumberParam, ParamSpec } from '../../../common/methods/types.js';
import { compileMerge } from '../../../common/graph/compile.js';
import { compileLayerAssembly } from '../../../common/graph/compile-slices.js';
import { rulesToSpec, specToRules, type CurveRule } from '../../../common/graph/curve-rules.js';
import { layerPosition, resolveParam, gradientAt } from '../../../common/graph/param-resolve.js';
import { nodeLabel } from '../../../common/graph/node-label.js';
import { useEditor } from '../state/editor-store.js';
import { useUi } from '../state/ui-store.js';
import { curveSlot } from '../state/curve-slot.js';

const W = 380;
const H = 150;
const COLORS = ['#e8590c', '#2f9e44', '#7048e8', '#1971c2', '#c2255c'];

function fmt(v: number | boolean | string | undefined): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v === undefined ? '—' : String(v);
}

export function CurveEditor() {
  const curve = useUi((s) => s.curve);
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const headers = useEditor((s) => s.headers);
  const node = curve ? nodes.find((n) => n.id === curve.mergeId) : undefined;

  const layerMap = useMemo(() => {
    if (!node) return null;
    const compiled = node.data.kind === 'layerAssembly' ? compileLayerAssembly({ nodes, edges }, node.id) : compileMerge({ nodes, edges }, node.id);
    const ids = compiled.ok ? compiled.modelNodeIds : [];
    for (const id of ids) {
      const m = nodes.find((n) => n.id === id);
      const h = m?.data.kind === 'model' ? headers[m.data.path] : undefined;
      if (h?.state === 'ok') return h.summary;
    }
    return null;
  }, [node, nodes, edges, headers]);

  if (!curve || !node || (node.data.kind !== 'merge' && node.data.kind !== 'layerAssembly')) return null;
  const data = node.data;
  const slot = curveSlot(data, curve);
  const method = getMethod(data.method);
  const param = method?.params.find((p) => p.name === curve.param);
  if (!slot || !param || param.type !== 'number') return null;
  const p: NumberParam = param;
  const own: ParamSpec | undefined = slot.own;
  const globalValue = slot.inherited;
  const fallback = p.default ?? 1;
  const rules = specToRules(own, typeof globalValue === 'number' ? globalValue : fallback);
  const owner = curve.sourceId ? nodes.find((n) => n.id === curve.sourceId) : undefined;
  const title = `${p.label}${owner ? ` of ${nodeLabel(owner.data)}` : slot.owner ? ` of ${slot.owner}` : ''}`;

  const save = (spec: ParamSpec | undefined): void => useEditor.getState().updateData(node.id, slot.write(spec), `curve:${node.id}:${p.name}:${curve.sourceId ?? ''}:${curve.row ?? ''}:${curve.source ?? ''}`);
  const write = (next: CurveRule[]): void => save(rulesToSpec(next));
  const update = (i: number, r: Partial<CurveRule>): void => write(rules.map((x, j) => (j === i ? { ...x, ...r } : x)));

  // A Layer assembly's gradients run over each row's own layers (mergekit's slices), not the model's.
  const perRow = slot.gradientLayers !== null;
  const layers = slot.gradientLayers ?? layerMap?.layerCount ?? 0;
  const resolve = (name: string, layer: number | null): number | boolean | string | undefined => {
    const t = layerPosition(layer, Math.max(1, layers));
    const spec = rulesToSpec(rules);
    return resolveParam(spec, name, t) ?? (globalValue !== undefined ? resolveParam(globalValue, name, t) : undefined) ?? p.default;
  };
  const lo = Math.min(p.min ?? p.softMin ?? 0, ...rules.flatMap((r) => r.anchors));
  const hi = Math.max(p.max ?? p.softMax ?? 1, ...rules.flatMap((r) => r.anchors));
  const x = (i: number): number => (layers <= 1 ? W / 2 : 20 + (i * (W - 40)) / (layers - 1));
  const y = (v: number): number => H - 15 - ((v - lo) / (hi - lo || 1)) * (H - 30);

  return (
    <aside className="curve-editor" aria-label="Per-layer curve">
      <div className="curve-head">
        <h2>{title}</h2>
        <button onClick={() => useUi.getState().set({ curve: null })} aria-label="Close curve editor">
          ×
        </button>
      </div>
      <p className="muted">
        {p.description}{' '}
        {perRow
          ? `A gradient interpolates its anchors over the layers of each row (${layers} here); tensors before and after the stack take the first anchor.`
          : "A gradient interpolates its anchors over each model's layers; tensors before and after the stack take the first anchor."}{' '}
        Filters match any substring of the tensor name, first match first.
      </p>
      {rules.map((r, i) => (
        <fieldset key={i} className="curve-rule" style={{ borderColor: COLORS[i % COLORS.length] }}>
          <legend>
            {r.filter === '' && i === rules.length - 1 ? (
              'Every other tensor'
            ) : (
              <input aria-label={`Filter ${i + 1}`} value={r.filter} placeholder="self_attn, mlp, any substring" onChange={(e) => update(i, { filter: e.target.value })} />
            )}
          </legend>
          <div className="anchors">
            {r.anchors.map((a, k) => (
              <input
                key={k}
                type="number"
                step="any"
                aria-label={`Anchor ${k + 1} of ${r.filter || 'every other tensor'}`}
                value={a}
                onChange={(e) => {
                  const v = Number(e.target.value);
                  if (Number.isFinite(v)) update(i, { anchors: r.anchors.map((b, j) => (j === k ? v : b)) });
                }}
              />
            ))}
            <button onClick={() => update(i, { anchors: [...r.anchors, r.anchors[r.anchors.length - 1]] })}>+ anchor</button>
            {r.anchors.length > 1 && <button onClick={() => update(i, { anchors: r.anchors.slice(0, -1) })}>− anchor</button>}
            {r.filter !== '' || i < rules.length - 1 ? <button onClick={() => write(rules.filter((_, j) => j !== i))}>remove filter</button> : null}
          </div>
        </fieldset>
      ))}
      <div className="curve-actions">
        <button onClick={() => write([{ filter: 'self_attn', anchors: [...rules[rules.length - 1].anchors] }, ...rules])}>+ filter</button>
        <button onClick={() => save(undefined)}>
          Reset to default
        </button>
      </div>
      {!layerMap && !perRow && <p className="muted">Connect a model whose header has been read to see its layer map.</p>}
      {(layerMap || perRow) && (
        <>
          <svg width={W} height={H} role="img" aria-label={`${title} across ${layers} layers`} className="curve-chart">
            <line x1={20} x2={W - 20} y1={y(lo)} y2={y(lo)} stroke="#ccc" />
            <text x={2} y={y(hi) + 4} fontSize={10}>
              {fmt(hi)}
            </text>
            <text x={2} y={y(lo) + 4} fontSize={10}>
              {fmt(lo)}
            </text>
            {rules.map((r, i) => {
              const pts = Array.from({ length: Math.max(1, layers) }, (_, l) => `${x(l)},${y(gradientAt(r.anchors, layerPosition(l, Math.max(1, layers))))}`);
              return <polyline key={i} points={pts.join(' ')} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={2} />;
            })}
          </svg>
          {layerMap && !perRow && (
            <table className="curve-table" aria-label="Value per tensor">
              <thead>
                <tr>
                  <th>Tensor</th>
                  <th>Layer</th>
                  <th title={p.label}>{p.label}</th>
                </tr>
              </thead>
              <tbody>
                {layerMap.tensors.map((t) => (
                  <tr key={t.name}>
                    <td title={t.name}>{t.name}</td>
                    <td>{t.layer ?? '—'}</td>
                    <td>{fmt(resolve(t.name, t.layer))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </aside>
  );
}
