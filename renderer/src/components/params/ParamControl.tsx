/**
 * One parameter on a node, generated from its descriptor: slider plus numeric entry for numbers
 * (with the spec's default shown and labelled ends where the descriptor has them), a checkbox for
 * booleans, a list for choices. Per-layer values (gradients, filters) open the curve editor.
 */
import { memo, useState } from 'react';
import type { NumberParam, ParamDescriptor, ParamSpec } from '../../../../common/methods/types.js';
import { sliderRange } from './slider-range.js';

// The barrier and sweep panels take their ranges from here.
export { sliderRange };

interface Props {
  param: ParamDescriptor;
  value: ParamSpec | undefined;
  onChange: (v: ParamSpec | undefined) => void;
  onCurve?: () => void;
  /** Barrier preview along this slider (numeric parameters of merge nodes). */
  onBarrier?: () => void;
  /** Label prefix for accessibility ("Weight of Model a"). */
  owner?: string;
  /**
   * The value this field inherits when it sets none: a per-model parameter's value on its merge
   * node, or a Layer assembly's value for every row (or a source's row's).
   */
  inherited?: ParamSpec;
  /** The level `inherited` is set on, as the head names it ('every row', 'row 2'); absent: 'all models' (a merge node's). */
  inheritedFrom?: string;
  /** The input is the merge's base listed again among its models: the merge does not use its parameters. */
  unused?: boolean;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** "base 30% · other 70%" for interpolation factors. */
export function endLabelText(p: NumberParam, v: number): string | null {
  if (!p.endLabels || v < 0 || v > 1) return null;
  const b = Math.round(v * 100);
  return `${p.endLabels[0]} ${100 - b}% · ${p.endLabels[1]} ${b}%`;
}

function defaultText(p: ParamDescriptor): string {
  if (p.type === 'number') return p.default === undefined ? 'required' : `default ${fmt(p.default)}`;
  return `default ${String(p.default)}`;
}

/** Where an input's unset value comes from: the merge node ("all models: 0.4") or a level of a Layer assembly ("row 2: 0.7"). */
function inheritedText(inherited: ParamSpec, from = 'all models'): string {
  const shown = typeof inherited === 'number' ? fmt(inherited) : typeof inherited === 'boolean' || typeof inherited === 'string' ? String(inherited) : 'per layer';
  return `${from}: ${shown}`;
}

function inheritedTitle(from: string | undefined): string {
  return from === undefined
    ? "Set on the merge node for every model that does not set its own (a recipe's top-level parameters)"
    : `Set for ${from}: what this field gives when it sets none (mergekit's slice parameters over the top-level ones)`;
}

/** The head's note: what an empty field gives (inherited from the level above, else the method's default). */
function DefaultNote({ param, inherited, inheritedFrom }: Pick<Props, 'param' | 'inherited' | 'inheritedFrom'>) {
  return (
    <span className="param-default" title={inherited === undefined ? undefined : inheritedTitle(inheritedFrom)}>
      {inherited === undefined ? defaultText(param) : inheritedText(inherited, inheritedFrom)}
    </span>
  );
}

function NumberControl({ param, value, onChange, onCurve, onBarrier, owner, inherited, inheritedFrom, unused }: Props & { param: NumberParam }) {
  const scalar = typeof value === 'number' ? value : undefined;
  const perLayer = value !== undefined && typeof value !== 'number';
  // What the model gets with its own field empty: the merge node's value for all models, else the
  // method's default. Shown as the placeholder and in the head whether or not the model overrides it.
  const fromNode = inherited;
  const fallback = typeof fromNode === 'number' ? fromNode : fromNode === undefined ? param.default : undefined;
  const shown = scalar ?? fallback;
  const [text, setText] = useState(shown === undefined ? '' : fmt(shown));
  // The field follows the value when it changes (a slider, undo), in the same render: an effect would
  // cost a second render and commit, and a frame, before the number shows.
  const [textOf, setTextOf] = useState(shown);
  if (!Object.is(textOf, shown)) {
    setTextOf(shown);
    setText(shown === undefined ? '' : fmt(shown));
  }
  const range = sliderRange(param);
  const name = owner ? `${param.label} of ${owner}` : param.label;
  const ends = shown === undefined ? null : endLabelText(param, shown);
  return (
    <div className={`param ${scalar === undefined && !perLayer ? 'is-default' : ''}`} title={param.description}>
      <div className="param-head">
        <span className="param-label">{param.label}</span>
        {param.unit && <span className="param-unit">{param.unit}</span>}
        {unused ? (
          <span className="param-default" title="This input is the merge's base, listed again among its models (as mergekit recipes often do): its task vector is zero and the merge does not use its parameters">
            not used (the base)
          </span>
        ) : (
          <DefaultNote param={param} inherited={fromNode} inheritedFrom={inheritedFrom} />
        )}
        {param.perLayer && onCurve && (
          <button className="curve-button nodrag" title="Per-layer curve" aria-label={`Per-layer curve for ${name}`} onClick={onCurve}>
            ∿
          </button>
        )}
        {onBarrier && (
          <button className="barrier-button nodrag" title="Barrier preview along this slider" aria-label={`Preview barrier along ${name}`} onClick={onBarrier}>
            ⌇
          </button>
        )}
      </div>
      {perLayer ? (
        <div className="param-per-layer" title={JSON.stringify(value)}>
          per layer{' '}
          {onCurve && (
            <>
              <button className="link nodrag" onClick={onCurve}>
                edit curve
              </button>{' '}
            </>
          )}
          <button className="link nodrag" onClick={() => onChange(undefined)}>
            reset
          </button>
        </div>
      ) : (
        <div className="param-inputs">
          {param.endLabels && <span className="end-label">{param.endLabels[0]}</span>}
          <input
            type="range"
            className="nodrag"
            aria-label={`${name} slider`}
            min={range.min}
            max={range.max}
            step={range.step}
            value={shown ?? range.min}
            onChange={(e) => onChange(Number(e.target.value))}
          />
          {param.endLabels && <span className="end-label">{param.endLabels[1]}</span>}
          <input
            type="number"
            className="nodrag param-number"
            aria-label={name}
            step="any"
            value={text}
            placeholder={fallback === undefined ? (unused ? 'not used' : fromNode === undefined ? 'required' : 'per layer') : fmt(fallback)}
            onChange={(e) => {
              setText(e.target.value);
              const v = e.target.value.trim() === '' ? undefined : Number(e.target.value);
              if (v === undefined || Number.isFinite(v)) onChange(v);
            }}
          />
        </div>
      )}
      {ends && <div className="end-note">{ends}</div>}
    </div>
  );
}

function ParamControlImpl(props: Props) {
  const { param, value, onChange, owner, inherited, inheritedFrom } = props;
  const name = owner ? `${param.label} of ${owner}` : param.label;
  if (param.type === 'number') return <NumberControl {...props} param={param} />;
  if (param.type === 'boolean') {
    const v = typeof value === 'boolean' ? value : typeof inherited === 'boolean' ? inherited : param.default;
    return (
      <label className="param param-bool" title={param.description}>
        <input type="checkbox" className="nodrag" aria-label={name} checked={v} onChange={(e) => onChange(e.target.checked)} />
        {param.label} <DefaultNote param={param} inherited={inherited} inheritedFrom={inheritedFrom} />
      </label>
    );
  }
  const v = typeof value === 'string' ? value : typeof inherited === 'string' ? inherited : param.default;
  return (
    <label className="param param-enum" title={param.description}>
      {param.label}{' '}
      <select className="nodrag" aria-label={name} value={v} onChange={(e) => onChange(e.target.value)}>
        {param.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <DefaultNote param={param} inherited={inherited} inheritedFrom={inheritedFrom} />
    </label>
  );
}

export const ParamControl = memo(ParamControlImpl);
