/**
 * `crucible merge` on multi-stage YAML and on project files, and `crucible export-yaml`, through
 * the built CLI. Expected tensors are computed here from the linear formula (float32 per
 * operation), never from the engine's code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { makeLlamaCheckpoint, type BuiltCheckpoint } from '../helpers/hf-checkpoint.js';
import { readCheckpointF32, readCheckpointRaw } from '../helpers/read-checkpoint.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { assertBuilt, jsonLines, runCli } from './cli.js';

const fr = Math.fround;

let dir: string;
let base: BuiltCheckpoint;
let a: BuiltCheckpoint;
let b: BuiltCheckpoint;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('cli-stages');
  base = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'base'), layers: 2, seed: 1 });
  a = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'a'), layers: 2, seed: 2 });
  b = await makeLlamaCheckpoint({ dir: join(dir, 'models', 'b'), layers: 2, seed: 3 });
});
afterAll(removeTempDirs);

/** Linear with normalized weights c0, c1 (exact in float64 → float32 here). */
function linear2(c0: number, x: Float32Array, c1: number, y: Float32Array): Float32Array {
  return x.map((v, i) => fr(fr(fr(c0) * v) + fr(fr(c1) * y[i])));
}

async function expectTensors(out: string, want: (name: string) => Float32Array): Promise<void> {
  const got = await readCheckpointF32(out);
  expect(got.size).toBe(base.tensors.size);
  for (const [name, values] of got) {
    const w = want(name);
    for (let i = 0; i < w.length; i++) if (values[i] !== w[i]) throw new Error(`${out} ${name}[${i}]: ${values[i]} ≠ ${w[i]}`);
  }
}

async function metadata(folder: string): Promise<Record<string, string>> {
  return (await openCheckpoint(folder)).files[0].metadata;
}

const soup = (name: string) => linear2(0.5, a.tensors.get(name)!, 0.5, b.tensors.get(name)!);
const final = (name: string) => linear2(0.25, soup(name), 0.75, base.tensors.get(name)!);

// The final merge comes first in the file; it uses the stage named below it (mergekit-multi allows it).
const STAGES = [
  '# the result: a quarter soup, three quarters base',
  'merge_method: linear',
  'models:',
  '  - model: soup',
  '    parameters: {weight: 1}',
  '  - model: models/base',
  '    parameters: {weight: 3}',
  '---',
  'name: soup',
  'merge_method: linear',
  'models:',
  '  - {model: models/a, parameters: {weight: 1}}',
  '  - {model: models/b, parameters: {weight: 1}}',
  '',
].join('\n');

describe('crucible merge: multi-stage YAML', () => {
  it("runs the stages in dependency order; a stage's name stands for its output; only the final output remains", async () => {
    const recipe = join(dir, 'stages.yaml');
    await writeFile(recipe, STAGES);
    await mkdir(join(dir, 'outs'));
    const out = join(dir, 'outs', 'final');
    const res = await runCli(['merge', recipe, '--out', out, '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const lines = jsonLines(res.stdout);
    const stages = lines.filter((l) => l.type === 'stage');
    expect(stages.map((s) => [s.index, s.count, s.name])).toEqual([
      [1, 2, 'soup'],
      [2, 2, null],
    ]);
    expect(stages[1].out).toBe(out);
    expect(lines.at(-1)).toMatchObject({ type: 'done', out });
    await expectTensors(out, final);
    // The stage's temporary folder is gone.
    expect(readdirSync(join(dir, 'outs'))).toEqual(['final']);
    const meta = await metadata(out);
    expect(meta['crucible.recipe_yaml']).toBe(STAGES);
    expect(JSON.parse(meta['crucible.inputs']).map((i: { model: string }) => i.model)).toEqual(['soup', 'models/base']);
  });

  it('keeps the stage outputs in --intermediate-dir DIR/<name>', async () => {
    const recipe = join(dir, 'stages.yaml');
    const keep = join(dir, 'kept');
    const res = await runCli(['merge', recipe, '--out', join(dir, 'final-kept'), '--intermediate-dir', keep]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`stage 1/2 'soup' → ${join(keep, 'soup')}`);
    await expectTensors(join(keep, 'soup'), soup);
    await expectTensors(join(dir, 'final-kept'), final);
  });

  it('--keep-intermediates keeps them in <out>-stages/<name> beside the output', async () => {
    const recipe = join(dir, 'stages.yaml');
    await mkdir(join(dir, 'keep-flag'));
    const out = join(dir, 'keep-flag', 'final');
    const res = await runCli(['merge', recipe, '--out', out, '--keep-intermediates']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`stage 1/2 'soup' → ${join(dir, 'keep-flag', 'final-stages', 'soup')}`);
    expect(readdirSync(join(dir, 'keep-flag')).sort()).toEqual(['final', 'final-stages']);
    await expectTensors(join(dir, 'keep-flag', 'final-stages', 'soup'), soup);
    await expectTensors(out, final);
  });

  it('refuses stages that use each other in a cycle, and two unnamed documents, before reading any tensor', async () => {
    const cycle = join(dir, 'cycle.yaml');
    await writeFile(cycle, 'name: x\nmerge_method: linear\nmodels: [y, models/a]\n---\nname: y\nmerge_method: linear\nmodels: [x, models/b]\n---\nmerge_method: linear\nmodels: [x, models/a]\n');
    const r1 = await runCli(['merge', cycle, '--out', join(dir, 'never1')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain("the stages use each other in a cycle: stage 'x' → stage 'y' → stage 'x'");
    const two = join(dir, 'two.yaml');
    await writeFile(two, 'merge_method: linear\nmodels: [models/a, models/b]\n---\nmerge_method: linear\nmodels: [models/b, models/a]\n');
    const r2 = await runCli(['merge', two, '--out', join(dir, 'never2')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("documents 1, 2 have no 'name:': only the final merge may be unnamed");
    expect(existsSync(join(dir, 'never1')) || existsSync(join(dir, 'never2'))).toBe(false);
  });

  it('checks every stage before the first runs: a missing model in the final merge exits 2 with no stage run and nothing left behind', async () => {
    const late = join(dir, 'late-mistake');
    await mkdir(late);
    await writeFile(
      join(late, 'chain.yaml'),
      `name: soup\nmerge_method: linear\nmodels:\n  - model: ${a.dir}\n    parameters: {weight: 1}\n  - model: ${b.dir}\n    parameters: {weight: 1}\n---\nmerge_method: linear\nmodels:\n  - model: soup\n    parameters: {weight: 1}\n  - model: models/missing\n    parameters: {weight: 1}\n`,
    );
    const r = await runCli(['merge', join(late, 'chain.yaml'), '--out', join(late, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/missing');
    expect(r.stderr).not.toContain('stage 1/2');
    expect(readdirSync(late)).toEqual(['chain.yaml']);
  });
});

/** A project as the editor saves it: relative model paths, a Linear node, an Output node. */
function project(outFolder: string, weights: [number, number]): unknown {
  return {
    format: 'crucible-project',
    version: 2,
    name: 'soup',
    nodes: [
      { id: 'ma', position: { x: 0, y: 0 }, data: { kind: 'model', path: 'models/a' } },
      { id: 'mb', position: { x: 0, y: 160 }, data: { kind: 'model', path: 'models/b' } },
      { id: 'lin', position: { x: 380, y: 80 }, data: { kind: 'merge', method: 'linear', params: {}, modelParams: { ma: { weight: weights[0] }, mb: { weight: weights[1] } } } },
      { id: 'out', position: { x: 760, y: 80 }, data: { kind: 'output', folder: outFolder, dtype: 'auto', shardSize: 5e9, seed: 0, overwrite: false } },
    ],
    edges: [
      { id: 'e1', source: 'ma', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'e2', source: 'mb', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'e3', source: 'lin', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ],
  };
}

describe('crucible merge: project files', () => {
  it("writes the Output node's folder (relative to the project), with the graph as provenance", async () => {
    const file = join(dir, 'soup.crucible.json');
    const p = project('outs-project/soup', [1, 3]);
    await mkdir(join(dir, 'outs-project'));
    await writeFile(file, JSON.stringify(p, null, 2));
    const res = await runCli(['merge', file, '--json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const out = join(dir, 'outs-project', 'soup');
    expect(jsonLines(res.stdout).at(-1)).toMatchObject({ type: 'done', out });
    await expectTensors(out, (n) => linear2(0.25, a.tensors.get(n)!, 0.75, b.tensors.get(n)!));
    expect(JSON.parse((await metadata(out))['crucible.graph'])).toEqual(p);
  });

  it('--out replaces the folder of the only Output node; a graph that does not compile names the node', async () => {
    const file = join(dir, 'soup.crucible.json');
    const res = await runCli(['merge', file, '--out', join(dir, 'elsewhere')]);
    expect(res.code, res.stderr).toBe(0);
    await expectTensors(join(dir, 'elsewhere'), (n) => linear2(0.25, a.tensors.get(n)!, 0.75, b.tensors.get(n)!));

    const broken = project('x', [1, 1]) as { edges: unknown[] };
    broken.edges = broken.edges.slice(0, 2);
    const bad = join(dir, 'broken.crucible.json');
    await writeFile(bad, JSON.stringify(broken));
    const r = await runCli(['merge', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: Output (node 'out'): Connect a merge node to this Output.`);

    // Keeping stages means nothing without a chain.
    const keep = await runCli(['merge', file, '--out', join(dir, 'elsewhere-2'), '--keep-intermediates']);
    expect(keep.code).toBe(2);
    expect(keep.stderr).toContain('--keep-intermediates is for multi-stage recipes');
  });
});

describe('crucible merge: tokenizer settings of the Output node', () => {
  it("copies the tokenizer files from the named source and writes the chatml template into the output's tokenizer_config.json", async () => {
    // c's tokenizer is told apart from a's (the default donor, first model) by its files' contents.
    const c = join(dir, 'models', 'c');
    await makeLlamaCheckpoint({ dir: c, layers: 2, seed: 4 });
    const cConfig = { tokenizer_class: 'PreTrainedTokenizerFast', bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', model_max_length: 4242 };
    await writeFile(join(c, 'tokenizer_config.json'), JSON.stringify(cConfig));
    const cTokenizer = readFileSync(join(c, 'tokenizer.json'), 'utf8').replace('"<unk>": 0', '"<unk>": 0, "c-only": 3');
    await writeFile(join(c, 'tokenizer.json'), cTokenizer);
    const p = project('outs-project/chatml', [1, 1]) as { nodes: { id: string; data: Record<string, unknown> }[] };
    p.nodes = p.nodes.map((n) =>
      n.id === 'mb' ? { ...n, data: { kind: 'model', path: 'models/c' } } : n.id === 'out' ? { ...n, data: { ...n.data, tokenizerSource: 'models/c', chatTemplate: 'chatml' } } : n,
    );
    const file = join(dir, 'chatml.crucible.json');
    await writeFile(file, JSON.stringify(p));
    const res = await runCli(['merge', file]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const out = join(dir, 'outs-project', 'chatml');
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(cTokenizer);
    const config = JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    // c's own settings, plus ChatML: each message as <|im_start|>role\ncontent<|im_end|>.
    expect(config).toMatchObject(cConfig);
    expect(config.chat_template).toEqual(expect.stringContaining("'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'"));
    expect(config.chat_template).toEqual(expect.stringContaining("'<|im_start|>assistant\\n'"));
    // The YAML exported from the graph says the same.
    const yamlFile = join(dir, 'chatml.yaml');
    const yaml = await runCli(['export-yaml', file, '--out', yamlFile]);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect(readFileSync(yamlFile, 'utf8')).toContain('  - model: models/c\n    parameters:\n      weight: 1\ntokenizer_source: models/c\nchat_template: chatml\n');
  });

  it("refuses tokenizer source 'union' when run, saying it is not supported yet", async () => {
    const p = project('outs-project/union', [1, 1]) as { nodes: { id: string; data: Record<string, unknown> }[] };
    p.nodes = p.nodes.map((n) => (n.id === 'out' ? { ...n, data: { ...n.data, tokenizerSource: 'union' } } : n));
    const file = join(dir, 'union.crucible.json');
    await writeFile(file, JSON.stringify(p));
    const res = await runCli(['merge', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/union.*not supported yet/);
    expect(existsSync(join(dir, 'outs-project', 'union'))).toBe(false);
  });
});

describe('crucible merge: tokenizer settings of an earlier stage', () => {
  it("imported onto the stage's merge node, honoured in the stage's output (not the final one's), exported back into the stage's document", async () => {
    // tok's tokenizer is told apart from the others' by its files' contents.
    const tok = join(dir, 'models', 'tok');
    await makeLlamaCheckpoint({ dir: tok, layers: 2, seed: 5 });
    const tokConfig = { tokenizer_class: 'PreTrainedTokenizerFast', bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', model_max_length: 777 };
    await writeFile(join(tok, 'tokenizer_config.json'), JSON.stringify(tokConfig));
    const tokTokenizer = readFileSync(join(tok, 'tokenizer.json'), 'utf8').replace('"<unk>": 0', '"<unk>": 0, "tok-only": 3');
    await writeFile(join(tok, 'tokenizer.json'), tokTokenizer);
    const baseTokenizer = readFileSync(join(base.dir, 'tokenizer.json'), 'utf8');
    const work = join(dir, 'stage-tok');
    await mkdir(work);
    const yaml = join(work, 'chain.yaml');
    await writeFile(
      yaml,
      [
        'name: soup',
        'merge_method: linear',
        'models: [{model: ../models/a, parameters: {weight: 1}}, {model: ../models/tok, parameters: {weight: 1}}]',
        'tokenizer_source: ../models/tok',
        'chat_template: chatml',
        '---',
        'merge_method: linear',
        'models: [{model: ../models/base, parameters: {weight: 3}}, {model: soup, parameters: {weight: 1}}]',
        '',
      ].join('\n'),
    );
    const graphFile = join(work, 'chain.crucible.json');
    const imported = await runCli(['recipe', 'import', yaml, '--out', graphFile]);
    expect(imported.code, imported.stderr).toBe(0);
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { nodes: { id: string; data: Record<string, unknown> }[] };
    const soupNode = graph.nodes.find((n) => n.data.kind === 'merge' && n.data.label === 'soup');
    expect(soupNode?.data).toMatchObject({ chatTemplate: 'chatml' });
    expect(String(soupNode?.data.tokenizerSource)).toMatch(/models[/\\]tok$/);
    const output = graph.nodes.find((n) => n.data.kind === 'output');
    expect(output?.data.tokenizerSource).toBeUndefined();
    expect(output?.data.chatTemplate).toBeUndefined();

    const out = join(work, 'final');
    const keep = `${out}-stages`;
    const res = await runCli(['merge', graphFile, '--out', out, '--keep-intermediates']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    // The stage's output: tok's tokenizer files, and ChatML written into its tokenizer_config.json.
    expect(readFileSync(join(keep, 'soup', 'tokenizer.json'), 'utf8')).toBe(tokTokenizer);
    const stageConfig = JSON.parse(readFileSync(join(keep, 'soup', 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
    expect(stageConfig).toMatchObject(tokConfig);
    expect(stageConfig.chat_template).toEqual(expect.stringContaining("'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>'"));
    // The final output: its donor's (base, its first model) tokenizer as it is, no chat template.
    expect(readFileSync(join(out, 'tokenizer.json'), 'utf8')).toBe(baseTokenizer);
    expect(JSON.parse(readFileSync(join(out, 'tokenizer_config.json'), 'utf8'))).not.toHaveProperty('chat_template');

    // Exported back: the settings are in the stage's document, and that YAML does the same.
    const again = join(work, 'again.yaml');
    const exported = await runCli(['recipe', 'export', graphFile, '--out', again]);
    expect(exported.code, exported.stderr).toBe(0);
    const [first, last] = readFileSync(again, 'utf8').split(/^---$/m);
    expect(first).toContain('\ntokenizer_source: ../models/tok\nchat_template: chatml\n');
    expect(last).not.toMatch(/tokenizer|chat_template/);
    const keep2 = join(work, 'kept2');
    const res2 = await runCli(['merge', again, '--out', join(work, 'final2'), '--intermediate-dir', keep2]);
    expect(res2.code, res2.stderr).toBe(0);
    expect(readFileSync(join(keep2, 'soup', 'tokenizer_config.json'), 'utf8')).toBe(readFileSync(join(keep, 'soup', 'tokenizer_config.json'), 'utf8'));
  });
});

describe('crucible recipe import / export: a chain stage\'s dtype keys', () => {
  it('an earlier stage with dtype bfloat16 (and no out_dtype) is exported with dtype bfloat16, as the final stage is', async () => {
    const work = join(dir, 'stage-dtype');
    await mkdir(work);
    const yaml = join(work, 'chain.yaml');
    await writeFile(
      yaml,
      [
        'name: soup',
        'merge_method: linear',
        'models: [{model: ../models/a, parameters: {weight: 1}}, {model: ../models/b, parameters: {weight: 1}}]',
        'dtype: bfloat16',
        '---',
        'name: both',
        'merge_method: linear',
        'models: [{model: soup, parameters: {weight: 1}}, {model: ../models/b, parameters: {weight: 1}}]',
        'dtype: float32',
        'out_dtype: float16',
        '---',
        'merge_method: linear',
        'models: [{model: both, parameters: {weight: 1}}, {model: ../models/base, parameters: {weight: 3}}]',
        'dtype: bfloat16',
        '',
      ].join('\n'),
    );
    const graphFile = join(work, 'chain.crucible.json');
    const imported = await runCli(['recipe', 'import', yaml, '--out', graphFile]);
    expect(imported.code, imported.stderr).toBe(0);
    const again = join(work, 'again.yaml');
    const exported = await runCli(['recipe', 'export', graphFile, '--out', again]);
    expect(exported.code, exported.stderr).toBe(0);
    const docs = readFileSync(again, 'utf8').split(/^---$/m);
    expect(docs).toHaveLength(3);
    const dtypeLines = (doc: string) => doc.split('\n').filter((l) => /^(out_)?dtype:/.test(l));
    expect(docs.map(dtypeLines)).toEqual([['dtype: bfloat16'], ['dtype: float32', 'out_dtype: float16'], ['dtype: bfloat16']]);
  });
});

describe('crucible export-yaml', () => {
  it('exports a project as mergekit YAML that merges to the same bits', async () => {
    const file = join(dir, 'soup.crucible.json');
    const yamlFile = join(dir, 'yaml', 'soup.yaml');
    await mkdir(join(dir, 'yaml'));
    const res = await runCli(['export-yaml', file, '--out', yamlFile]);
    expect(res.code, res.stderr).toBe(0);
    // Model paths are relative to the YAML's own folder now.
    expect(readFileSync(yamlFile, 'utf8')).toBe(
      'merge_method: linear\nmodels:\n  - model: ../models/a\n    parameters:\n      weight: 1\n  - model: ../models/b\n    parameters:\n      weight: 3\n',
    );
    const merged = await runCli(['merge', yamlFile, '--out', join(dir, 'from-yaml')]);
    expect(merged.code, merged.stderr).toBe(0);
    const ours = await readCheckpointRaw(join(dir, 'from-yaml'));
    const theirs = await readCheckpointRaw(join(dir, 'outs-project', 'soup'));
    for (const [name, t] of theirs) expect(Buffer.from(ours.get(name)!.bytes).equals(Buffer.from(t.bytes)), name).toBe(true);
  });

  it("edits an existing YAML in place (its comments stay), and gives back the YAML an output folder was merged from", async () => {
    const yamlFile = join(dir, 'yaml', 'commented.yaml');
    await writeFile(yamlFile, '# my soup\nmerge_method: linear\nmodels:\n  - model: ../models/a # the first\n  - model: ../models/b\n    parameters:\n      weight: 2 # was two\n');
    const res = await runCli(['export-yaml', join(dir, 'soup.crucible.json'), '--out', yamlFile]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(yamlFile, 'utf8')).toBe(
      '# my soup\nmerge_method: linear\nmodels:\n  - model: ../models/a # the first\n    parameters:\n      weight: 1\n  - model: ../models/b\n    parameters:\n      weight: 3 # was two\n',
    );

    const printed = await runCli(['export-yaml', join(dir, 'outs', 'final')]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(STAGES);
  });
});

describe('crucible export-yaml: what mergekit cannot express', () => {
  /** b aligned onto a (Re-Basin) before a linear merge: mergekit can only read the aligned folder. */
  function alignedProject(): unknown {
    const p = project('outs-project/aligned', [1, 1]) as { nodes: unknown[]; edges: { id: string; source: string; sourceHandle: string; target: string; targetHandle: string }[] };
    p.nodes.push({ id: 'al', position: { x: 200, y: 160 }, data: { kind: 'align', folder: 'aligned-b', seed: 7, maxSweeps: 12 } });
    p.edges = [
      { id: 'e1', source: 'ma', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'r', source: 'ma', sourceHandle: 'weights', target: 'al', targetHandle: 'reference' },
      { id: 'm', source: 'mb', sourceHandle: 'weights', target: 'al', targetHandle: 'model' },
      { id: 'e2', source: 'al', sourceHandle: 'weights', target: 'lin', targetHandle: 'models' },
      { id: 'e3', source: 'lin', sourceHandle: 'weights', target: 'out', targetHandle: 'weights' },
    ];
    return p;
  }

  it('warns of an Align node on stderr, and --comments writes it into the YAML as comments above unchanged keys', async () => {
    const file = join(dir, 'aligned.crucible.json');
    await writeFile(file, JSON.stringify(alignedProject()));
    const plainFile = join(dir, 'aligned-plain.yaml');
    const plain = await runCli(['export-yaml', file, '--out', plainFile]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain('Align (Re-Basin) node al');
    expect(plain.stderr).toContain('seed 7');
    const plainText = readFileSync(plainFile, 'utf8');
    expect(plainText).not.toContain('# crucible:');
    expect(plainText).toContain('  - model: aligned-b\n');

    const commentedFile = join(dir, 'aligned-commented.yaml');
    const commented = await runCli(['recipe', 'export', file, '--out', commentedFile, '--comments']);
    expect(commented.code, commented.stderr).toBe(0);
    const text = readFileSync(commentedFile, 'utf8');
    expect(text).toMatch(/^# crucible: /);
    expect(text).toMatch(/# crucible: Align \(Re-Basin\) node al: .*max sweeps 12/);
    expect(text.endsWith(plainText)).toBe(true);
  });
});
