import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from '../../../electron/engine/recipe/nearest-name.js';

describe('nearest key', () => {
  it('edit distances computed by hand', () => {
    expect(editDistance('dype', 'dtype')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('suggests close names only', () => {
    const keys = ['tokenizer_source', 'dtype', 'out_dtype', 'models'];
    expect(nearestName('tokenzer_source', keys)).toBe('tokenizer_source');
    expect(nearestName('dype', keys)).toBe('dtype');
    expect(nearestName('Models', keys)).toBe('models');
    expect(nearestName('experts', keys)).toBeUndefined();
  });
});
