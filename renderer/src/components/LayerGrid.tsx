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

function LayerGridImpl() {
  const cells = useRun((s) => s.cells);
  const layerCount = useRun((s) => s.preflight?.layerCount ?? 0);
  const layers = Math.max(layerCount, ...Object.keys(cells).map((k) => {
    const l = k.split('|')[1];
    return l === 'x' ? 0 : Number(l) + 1;
  }));
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
            const st = state(c);
            const where = l === null ? 'outside the layer stack' : `layer ${l}`;
            return (
              <span
                key={String(l)}
                role="gridcell"
                className={`layer-cell ${st}`}
                title={c ? `${label}, ${where}: ${c.done}/${c.total} tensors` : `${label}, ${where}: no tensors`}
                style={st === 'partial' && c ? { ['--fill' as string]: `${Math.round((100 * c.done) / c.total)}%` } : undefined}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}

export const LayerGrid = memo(LayerGridImpl);
