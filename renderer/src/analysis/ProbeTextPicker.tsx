/** Which probe texts a probe scores: the bundled ones (ticked) and files on the host (a path field), plus window and stride. */
import { useEffect, useState } from 'react';
import type { ProbeTextRef } from '../../../common/contract/tasks.js';
import { PathField } from '../components/PathField.js';
import { textRefLabel, useProbeSettings } from './probe-settings.js';

function same(a: ProbeTextRef, b: ProbeTextRef): boolean {
  return a.kind === b.kind && (a.kind === 'bundled' ? a.name === (b as typeof a).name : a.path === (b as typeof a).path);
}

export function ProbeTextPicker({ showPoints = false }: { showPoints?: boolean }) {
  const texts = useProbeSettings((s) => s.texts);
  const bundled = useProbeSettings((s) => s.bundled);
  const points = useProbeSettings((s) => s.points);
  const window = useProbeSettings((s) => s.window);
  const textByText = useProbeSettings((s) => s.textByText);
  const [path, setPath] = useState('');
  useEffect(() => {
    void useProbeSettings.getState().loadBundled().catch(() => undefined);
  }, []);
  const toggle = (r: ProbeTextRef, on: boolean): void => {
    const cur = useProbeSettings.getState().texts;
    const next = on ? [...cur.filter((t) => !same(t, r)), r] : cur.filter((t) => !same(t, r));
    if (next.length) useProbeSettings.getState().setTexts(next);
  };
  const files = texts.filter((t) => t.kind === 'file');
  return (
    <fieldset className="probe-texts">
      <legend>Probe texts</legend>
      <div className="probe-text-list">
        {(bundled ?? []).map((b) => {
          const r: ProbeTextRef = { kind: 'bundled', name: b.name };
          return (
            <label key={b.name} title={b.excerpt}>
              <input type="checkbox" aria-label={`Probe text ${b.name}`} checked={texts.some((t) => same(t, r))} onChange={(e) => toggle(r, e.target.checked)} /> {b.name}
            </label>
          );
        })}
        {files.map((f) => (
          <label key={textRefLabel(f) + (f.kind === 'file' ? f.path : '')} title={f.kind === 'file' ? f.path : ''}>
            <input type="checkbox" checked onChange={() => toggle(f, false)} /> {textRefLabel(f)}
          </label>
        ))}
      </div>
      <div className="probe-text-file">
        <PathField
          label="Probe text file"
          value={path}
          placeholder="…or a text file on the host"
          onCommit={(p) => {
            setPath('');
            if (p.trim()) toggle({ kind: 'file', path: p.trim() }, true);
          }}
        />
      </div>
      <div className="analysis-controls">
        {showPoints && (
          <label>
            Points K{' '}
            <input
              type="number"
              aria-label="Points K"
              min={2}
              max={101}
              value={points}
              onChange={(e) => {
                const k = Math.round(Number(e.target.value));
                if (k >= 2 && k <= 101) useProbeSettings.getState().set({ points: k });
              }}
            />
          </label>
        )}
        <label>
          Window{' '}
          <input
            type="number"
            aria-label="Window (tokens)"
            min={2}
            placeholder="128"
            value={window ?? ''}
            onChange={(e) => {
              const v = e.target.value.trim() === '' ? undefined : Math.round(Number(e.target.value));
              if (v === undefined || v >= 2) useProbeSettings.getState().set({ window: v, stride: v });
            }}
          />
        </label>
      </div>
      {texts.length > 1 && (
        <label
          className="field-check"
          title="Every point needs the whole model, so in one pass all points arrive at the end. One pass per text shows each text's curve as soon as it is done, reading the weights once per text instead of once."
        >
          <input
            type="checkbox"
            aria-label="Each text's curve as soon as it is done"
            checked={textByText}
            onChange={(e) => useProbeSettings.getState().set({ textByText: e.target.checked })}
          />{' '}
          Each text&apos;s curve as soon as it is done (reads the weights once per text)
        </label>
      )}
    </fieldset>
  );
}
