/** How Model nodes are named after their folders, a Hugging Face cache snapshot included. */
import { describe, expect, it } from 'vitest';
import { modelPathName, nodeLabel } from '../../../common/graph/node-label.js';

describe('the name of a model folder', () => {
  it('is its last component, with either separator and a trailing one', () => {
    expect(modelPathName('/models/tiny-a')).toBe('tiny-a');
    expect(modelPathName('/models/tiny-a/')).toBe('tiny-a');
    expect(modelPathName('C:\\models\\tiny-b')).toBe('tiny-b');
    expect(modelPathName('mistralai/Mistral-7B-v0.1')).toBe('Mistral-7B-v0.1');
  });

  it("is the repository's name for a snapshot of the Hugging Face cache, not its commit hash", () => {
    const snapshot = '/home/u/.cache/huggingface/hub/models--mistralai--Mistral-7B-v0.1/snapshots/26bca36bde8333b5d7f72e9ed20ccda6a618af24';
    expect(modelPathName(snapshot)).toBe('Mistral-7B-v0.1');
    expect(modelPathName(`${snapshot}/`)).toBe('Mistral-7B-v0.1');
    expect(modelPathName('D:\\hf\\hub\\models--gpt2\\snapshots\\607a30d783dfa663caf39e06633721c8d4cfcd7e')).toBe('gpt2');
    expect(nodeLabel({ kind: 'model', path: snapshot })).toBe('Model Mistral-7B-v0.1');
  });

  it('keeps the last component of a folder that only looks like part of the cache', () => {
    expect(modelPathName('/data/snapshots/v2')).toBe('v2');
    expect(modelPathName('/data/models--x--y/snapshot/abc')).toBe('abc');
  });
});

describe('a LoRA node', () => {
  it('is named after its adapter folder, a cache snapshot by its repository', () => {
    expect(nodeLabel({ kind: 'lora', adapter: '/a/hub/models--someone--math-lora/snapshots/0123456789abcdef0123456789abcdef01234567', mode: 'model' })).toBe('LoRA math-lora');
  });
});
