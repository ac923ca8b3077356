/**
 * Loss against λ as a small SVG chart: each probe text's curve, their mean (thick, its points
 * clickable), the straight line between the mean's endpoint losses, the barrier height where the
 * curve rises furthest above that line, and the lowest point. Points appear as they are computed;
 * while the settings stream through the model, a bar along the top and a label ("layer 12/32")
 * show how far they are.
 *
 * A hand-written SVG rather than a charting package: the chart needs per-point click targets and
 * annotations a generic library would have to be bent to, its points and labels stay DOM elements
 * the end-to-end tests can read (a canvas chart could not be asserted on), and it costs a few KB
 * instead of the 100–400 KB the maintained React charting libraries add to a ~580 KB bundle.
 */
import { memo } from 'react';
import { barrierPoint, lowestPoint, type CurveData } from './barrier-store.js';
import type { StreamProgress } from './stream-progress.js';

const W = 420;
const H = 230;
const M = { left: 52, right: 12, top: 14, bottom: 34 };
const COLORS = ['#e8590c', '#2f9e44', '#7048e8', '#1971c2', '#c2255c', '#0ca678', '#f08c00', '#495057'];

export function fmtLoss(v: number | null): string {
  return v === null ? '—' : v.toFixed(5);
}

export function fmtValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

interface Props {
  data: CurveData;
  /** What the x axis moves: a parameter's label, or λ on the A–B line. */
  xLabel: string;
  /** Clicking a mean point (slider previews). */
  onPick?: (index: number) => void;
  /** Name for the chart's accessible label. */
  title: string;
  /** While streaming: how far the settings are through the model. */
  progress?: StreamProgress | null;
}

function BarrierChartImpl({ data, xLabel, onPick, title, progress }: Props) {
  const known = [...data.mean, ...data.texts.flatMap((t) => t.losses)].filter((v): v is number => v !== null);
  let lo = known.length ? Math.min(...known) : 0;
  let hi = known.length ? Math.max(...known) : 1;
  if (hi - lo < 1e-9) {
    lo -= 0.005;
    hi += 0.005;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const x = (lam: number) => M.left + lam * (W - M.left - M.right);
  const y = (v: number) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const path = (losses: (number | null)[]) =>
    losses
      .map((v, j) => (v === null ? null : `${x(data.lambdas[j]).toFixed(1)},${y(v).toFixed(1)}`))
      .filter((p): p is string => p !== null)
      .join(' ');
  const showTexts = data.texts.length > 1;
  const K = data.mean.length;
  const l0 = data.mean[0];
  const l1 = data.mean[K - 1];
  const peak = barrierPoint(data);
  const lowest = lowestPoint(data);
  const xText = (j: number) => {
    const v = data.values[j];
    return v === null ? `λ ${fmtValue(data.lambdas[j])}` : fmtValue(v);
  };
  const yTicks = Array.from({ length: 4 }, (_, i) => lo + pad + ((hi - lo - 2 * pad) * i) / 3);
  const xTicks = [0, Math.floor((K - 1) / 2), K - 1];

  return (
    <svg className="barrier-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Loss against ${xLabel}: ${title}`}>
      <rect x={M.left} y={M.top} width={W - M.left - M.right} height={H - M.top - M.bottom} className="chart-frame" />
      {progress && (
        <g className="chart-progress">
          <rect x={M.left} y={M.top - 4} width={(W - M.left - M.right) * progress.fraction} height={3} className="chart-progress-bar" />
          <text x={W - M.right - 4} y={M.top + 12} textAnchor="end" className="chart-progress-label">
            {progress.where}
          </text>
          <title>{progress.text}</title>
        </g>
      )}
      {yTicks.map((v, i) => (
        <g key={i}>
          <line x1={M.left - 3} x2={M.left} y1={y(v)} y2={y(v)} className="chart-tick" />
          <text x={M.left - 5} y={y(v) + 3} textAnchor="end" className="chart-label">
            {v.toFixed(4)}
          </text>
        </g>
      ))}
      {xTicks.map((j) => (
        <text key={j} x={x(data.lambdas[j])} y={H - M.bottom + 13} textAnchor="middle" className="chart-label">
          {xText(j)}
        </text>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" className="chart-axis">
        {xLabel}
      </text>
      <text x={10} y={(M.top + H - M.bottom) / 2} textAnchor="middle" className="chart-axis" transform={`rotate(-90 10 ${(M.top + H - M.bottom) / 2})`}>
        loss (nats/token)
      </text>
      {showTexts &&
        data.texts.map((t, i) => (
          <g key={t.name} className="text-curve" style={{ color: COLORS[i % COLORS.length] }}>
            <polyline points={path(t.losses)} fill="none" stroke="currentColor" strokeWidth={1.2} opacity={0.75} />
            {t.losses.map((v, j) => (v === null ? null : <circle key={j} cx={x(data.lambdas[j])} cy={y(v)} r={2} fill="currentColor" opacity={0.75} />))}
          </g>
        ))}
      {l0 !== null && l1 !== null && <line className="chord" x1={x(0)} y1={y(l0)} x2={x(1)} y2={y(l1)} />}
      {peak && peak.excess > 0 && data.mean[peak.index] !== null && (
        <g className="barrier-mark">
          <line
            x1={x(data.lambdas[peak.index])}
            x2={x(data.lambdas[peak.index])}
            y1={y((data.mean[peak.index] as number) - peak.excess)}
            y2={y(data.mean[peak.index] as number)}
          />
        </g>
      )}
      <polyline className="mean-curve" points={path(data.mean)} fill="none" />
      {data.mean.map((v, j) =>
        v === null ? null : (
          <circle
            key={j}
            className={`barrier-point${j === lowest ? ' lowest' : ''}${onPick ? ' pickable' : ''}`}
            cx={x(data.lambdas[j])}
            cy={y(v)}
            r={j === lowest ? 5 : 4}
            role={onPick ? 'button' : undefined}
            aria-label={`${xLabel} = ${xText(j)}: ${fmtLoss(v)} nats`}
            onClick={onPick ? () => onPick(j) : undefined}
          >
            <title>{`${xLabel} = ${xText(j)}: ${fmtLoss(v)} nats${onPick ? ' (click to set the slider here)' : ''}`}</title>
          </circle>
        ),
      )}
    </svg>
  );
}

export const BarrierChart = memo(BarrierChartImpl);
export { COLORS as TEXT_COLORS };
