/** An imported recipe's relative references point where crucible merge finds them: beside the recipe. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorImportedPaths } from '../../../electron/service/anchor-imported-paths.js';
import type { Project } from '../../../common/graph/project-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'anchor-'));
mkdirSync(join(dir, 'math'));
mkdirSync(join(dir, 'adapters', 'chat'), { recursive: true });
writeFileSync(join(dir, 'math.fisher.safetensors'), '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const node = (id: string, data: unknown) => ({ id, type: 'x', position: { x: 0, y: 0 }, data });
const project = {
  nodes: [
    node('a', { kind: 'model', path: 'math' }),
    node('b', { kind: 'model', path: 'mistralai/Mistral-7B-v0.1' }),
    node('c', { kind: 'model', path: '/elsewhere/base' }),
    node('d', { kind: 'model', path: '~/models/x' }),
    node('e', { kind: 'lora', adapter: 'adapters/chat', mode: 'model' }),
    node('f', { kind: 'fisher', source: 'file', file: 'math.fisher.safetensors', texts: [] }),
    node('g', { kind: 'output', folder: 'out' }),
  ],
  edges: [],
} as unknown as Project;

describe('anchorImportedPaths', () => {
  const paths = () => anchorImportedPaths(project, dir).nodes.map((n) => n.data as unknown as Record<string, string>);
  it('makes a relative reference that exists beside the recipe absolute', () => {
    const [a, , , , e, f] = paths();
    expect(a.path).toBe(join(dir, 'math'));
    expect(e.adapter).toBe(join(dir, 'adapters', 'chat'));
    expect(f.file).toBe(join(dir, 'math.fisher.safetensors'));
  });
  it('keeps hub ids, absolute and home paths, and what is not there, as written', () => {
    const [, b, c, d, , , g] = paths();
    expect(b.path).toBe('mistralai/Mistral-7B-v0.1');
    expect(c.path).toBe('/elsewhere/base');
    expect(d.path).toBe('~/models/x');
    expect(g.folder).toBe('out');
  });
});
