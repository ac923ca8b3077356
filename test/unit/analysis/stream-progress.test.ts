/** The barrier/sweep chart's streaming progress: share of stage × setting steps and "layer i/N" (hand-computed). */
import { describe, expect, it } from 'vitest';
import { streamProgress } from '../../../renderer/src/analysis/stream-progress.js';

const stage = (stage: number, layer: number | null, label: string, variantsDone: number) => ({
  type: 'stage' as const,
  stage,
  stages: 34,
  label,
  layer,
  layers: 32,
  variantsDone,
  variants: 11,
});

describe('streamProgress', () => {
  it('nothing before the first stage event', () => {
    expect(streamProgress(null)).toBeNull();
  });

  it('layer 12 of 32 (stage 12 of 34, after the embedding), 4 of 11 settings through it', () => {
    const p = streamProgress(stage(12, 11, 'layer 11', 4))!;
    expect(p.where).toBe('layer 12/32');
    expect(p.fraction).toBeCloseTo((12 + 4 / 11) / 34, 12);
    expect(p.text).toBe('layer 12/32 · 4 of 11 settings advanced · points appear in the last stage');
  });

  it('a stage whose weights are still being read, the embedding, and the head where points appear', () => {
    expect(streamProgress(stage(5, 4, 'layer 4', 0))!.text).toBe('layer 5/32 · reading its weights · points appear in the last stage');
    expect(streamProgress(stage(0, null, 'embedding', 11))!.where).toBe('embedding');
    const head = streamProgress(stage(33, null, 'head', 11))!;
    expect(head.text).toBe('head · 11 of 11 settings advanced');
    expect(head.fraction).toBe(1);
  });

  it('events without a layer count (older service) assume embedding + layers + head', () => {
    const { layers: _l, ...old } = stage(3, 2, 'layer 2', 1);
    void _l;
    expect(streamProgress(old)!.where).toBe('layer 3/32');
  });

  it('text by text: the pass is part of the place and of the share done', () => {
    const p = streamProgress({ ...stage(12, 11, 'layer 11', 4), pass: 1, passes: 3 })!;
    expect(p.where).toBe('text 2/3 · layer 12/32');
    expect(p.fraction).toBeCloseTo((1 + (12 + 4 / 11) / 34) / 3, 12);
    expect(p.text).toBe("text 2/3 · layer 12/32 · 4 of 11 settings advanced · this text's points appear in the last stage");
  });
});

describe('probe settings: text by text', () => {
  it('is sent only when asked for and more than one text is chosen', async () => {
    const { useProbeSettings } = await import('../../../renderer/src/analysis/probe-settings.js');
    const s = useProbeSettings.getState();
    s.setTexts([{ kind: 'bundled', name: 'prose.txt' }]);
    s.set({ textByText: true });
    expect(useProbeSettings.getState().settings().textByText).toBeUndefined();
    s.setTexts([
      { kind: 'bundled', name: 'prose.txt' },
      { kind: 'bundled', name: 'code.txt' },
    ]);
    expect(useProbeSettings.getState().settings().textByText).toBe(true);
    s.set({ textByText: false });
    expect(useProbeSettings.getState().settings().textByText).toBeUndefined();
  });
});
