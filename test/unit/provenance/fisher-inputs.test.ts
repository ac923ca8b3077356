/**
 * Fisher files in an output's provenance: recorded with kind 'fisher', found again by header hash
 * when they moved (as the single .safetensors file they are), a missing one named as a Fisher file;
 * a reopened graph's Fisher node follows its file. Outputs written before the kind existed (a
 * Fisher file recorded as a plain input) still read and re-point.
 */
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../common/graph/project-schema.js';
import { writeFisherFile } from '../../../electron/engine/fisher/fisher-file.js';
import { readSafetensorsHeader } from '../../../electron/engine/io/read-safetensors-header.js';
import { withInputPaths } from '../../../electron/engine/provenance/extract-graph.js';
import { locateInputs } from '../../../electron/engine/provenance/resolve-inputs.js';
import { RecordedInputsSchema, type RecordedInput } from '../../../electron/engine/provenance/stage-record.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const graph: Project = {
  format: 'crucible-project',
  version: 2,
  name: 'g',
  nodes: [
    { id: 'm', position: { x: 0, y: 0 }, data: { kind: 'model', path: 'models/a' } },
    { id: 'f', position: { x: 0, y: 0 }, data: { kind: 'fisher', source: 'file', file: 'fishers/a.safetensors', texts: [] } },
  ],
  edges: [],
};
const fileOf = (p: Project) => (p.nodes.find((n) => n.id === 'f')!.data as { file: string }).file;

describe('recorded inputs', () => {
  it("accept kind 'fisher' and 'lora', and no kind (older outputs); refuse another kind", () => {
    const input = { model: 'x', path: '/x', files: [] };
    expect(RecordedInputsSchema.safeParse([input, { ...input, kind: 'fisher' }, { ...input, kind: 'lora' }]).success).toBe(true);
    expect(RecordedInputsSchema.safeParse([{ ...input, kind: 'tokenizer' }]).success).toBe(false);
  });
});

describe("a reopened graph's Fisher node", () => {
  it("follows its file recorded as a 'fisher' input, not a model input of the same name", () => {
    const moved = withInputPaths(
      graph,
      new Map([
        ['fisher:fishers/a.safetensors', '/new/fishers/a.safetensors'],
        ['model:models/a', '/new/models/a'],
      ]),
    );
    expect(fileOf(moved)).toBe('/new/fishers/a.safetensors');
    expect((moved.nodes[0].data as { path: string }).path).toBe('/new/models/a');
  });

  it('follows its file recorded as a plain input by an older output', () => {
    expect(fileOf(withInputPaths(graph, new Map([['model:fishers/a.safetensors', '/old-style/a.safetensors']])))).toBe('/old-style/a.safetensors');
  });

  it('keeps its file when nothing recorded names it', () => {
    expect(fileOf(withInputPaths(graph, new Map([['model:models/a', '/new/models/a']])))).toBe('fishers/a.safetensors');
  });
});

describe('locating a Fisher file that moved', () => {
  async function fisherAt(path: string): Promise<RecordedInput> {
    await writeFisherFile(path, [{ name: 'w', shape: [2], values: Float32Array.of(1, 2) }], { estimator: 'hand-made', model: 'models/a', count: 1, sources: [] });
    const { info } = await readSafetensorsHeader(path);
    return { model: 'fishers/a.safetensors', kind: 'fisher', path, files: [{ name: 'a.safetensors', size: info.size, headerSha256: info.headerSha256 }] };
  }

  it('is found by header hash under the search folder (with or without its kind), and named as a Fisher file when it is nowhere', async () => {
    const dir = await makeTempDir('fisher-provenance');
    await mkdir(join(dir, 'was'));
    const recorded = await fisherAt(join(dir, 'was', 'a.safetensors'));
    await mkdir(join(dir, 'now', 'deep'), { recursive: true });
    await rename(recorded.path, join(dir, 'now', 'deep', 'renamed.safetensors'));
    const { kind: _kind, ...older } = recorded;
    void _kind;
    const [fisher, plain] = await locateInputs([recorded, older], [join(dir, 'now')]);
    expect(fisher).toMatchObject({ found: true, kind: 'fisher', moved: true, path: join(dir, 'now', 'deep', 'renamed.safetensors') });
    expect(plain).toMatchObject({ found: true, moved: true, path: join(dir, 'now', 'deep', 'renamed.safetensors') });

    const [missing] = await locateInputs([recorded], [join(dir, 'elsewhere')]);
    expect(missing.found).toBe(false);
    expect(!missing.found && missing.reason).toMatch(/^Fisher file 'fishers\/a\.safetensors' cannot be found: .* no longer exists, and no Fisher file with its header sha256/);
  });
});
