/** One cell per layer, one row per tensor group, filling as tensors finish. Tensors outside the layer stack get the first column. */
import { memo } from 'react';
import { cellKey, useRun, type GridCell } from '../state/run-store.js';

const GROUPS = [
  ['embedding', 'Embeddings'],
  ['attention', 'Attention'],
  ['mlp', 'MLP'],
  ['norm', 'Norms'],
  ['other', 'Other'],
] as const;

function state(c: GridCell | undefined): string {
  if (!c || c.total === 0) return 'none';
  if (c.done >= c.total) return 'done';
  return c.done > 0 ? 'partial' : 'pending';
}

/** One cell; memoized on its counts, so a frame's events re-render only the cells they changed. */
const Cell = memo(function Cell({ label, layer, done, total }: { label: string; layer: number | null; done: number; total: number }) {
  const c = total || done ? { done, total } : undefined;
  const st = state(c);
  const where = layer === null ? 'outside the layer stack' : `layer ${layer}`;
  return (
    <span
      role="gridcell"
      className={`layer-cell ${st}`}
      title={c ? `${label}, ${where}: ${c.done}/${c.total} tensors` : `${label}, ${where}: no tensors`}
      style={st === 'partial' && c ? { ['--fill' as string]: `${Math.round((100 * c.done) / c.total)}%` } : undefined}
    />
  );
});

/** Layers to show: the pre-flight's count, or more if tensors of further layers finished. */
function columnCount(cells: Record<string, GridCell>, layerCount: number): number {
  let n = layerCount;
  for (const k in cells) {
    const l = k.slice(k.indexOf('|') + 1);
    if (l !== 'x') n = Math.max(n, Number(l) + 1);
  }
  return n;
}

function LayerGridImpl() {
  const cells = useRun((s) => s.cells);
  const layerCount = useRun((s) => s.preflight?.layerCount ?? 0);
  const layers = columnCount(cells, layerCount);
  const columns: (number | null)[] = [null, ...Array.from({ length: layers }, (_, i) => i)];
  const rows = GROUPS.filter(([g]) => columns.some((l) => cells[cellKey(g, l)]));
  if (!rows.length) return null;
  return (
    <div className="layer-grid" role="grid" aria-label="Layer progress" style={{ gridTemplateColumns: `7em repeat(${columns.length}, minmax(6px, 28px))` }}>
      <span />
      {columns.map((l) => (
        <span key={String(l)} className="grid-col-label">
          {l === null ? '·' : l}
        </span>
      ))}
      {rows.map(([g, label]) => (
        <div key={g} role="row" className="grid-row" style={{ display: 'contents' }}>
          <span className="grid-row-label">{label}</span>
          {columns.map((l) => {
            const c = cells[cellKey(g, l)];
            return <Cell key={String(l)} label={label} layer={l} done={c?.done ?? 0} total={c?.total ?? 0} />;
          })}
        </div>
      ))}
    </div>
  );
}

export const LayerGrid = memo(LayerGridImpl);
