/**
 * Export of a graph's recipes over an existing mergekit-multi file: every stage's tokenizer
 * settings are the graph's (the Output's for the final merge, the merge node's for an earlier
 * stage), so a changed one is edited in place (comments kept) and a cleared one is removed; a
 * stage name the graph leaves unset is kept from the file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { mergekitYamlForFile } from '../../../../electron/engine/recipe/export/export-for-file.js';
import { makeTempDir, removeTempDirs } from '../../../helpers/temp-dir.js';

afterAll(removeTempDirs);

const lines = (...l: string[]) => l.join('\n') + '\n';

const BEFORE = lines(
  'name: soup',
  'merge_method: linear',
  'models: [{model: a, parameters: {weight: 1}}, {model: b, parameters: {weight: 1}}]',
  'tokenizer_source: base # the instruct vocabulary',
  'chat_template: alpaca',
  '---',
  'merge_method: linear',
  'models: [{model: soup, parameters: {weight: 1}}, {model: c, parameters: {weight: 1}}]',
  'tokenizer_source: c',
);

const soup = (extra: Partial<MergeRecipe>): MergeRecipe => ({
  name: 'soup',
  mergeMethod: 'linear',
  models: [
    { model: 'a', parameters: { weight: 1 } },
    { model: 'b', parameters: { weight: 1 } },
  ],
  ...extra,
});
const final: MergeRecipe = {
  mergeMethod: 'linear',
  models: [
    { model: 'soup', parameters: { weight: 1 } },
    { model: 'c', parameters: { weight: 1 } },
  ],
  tokenizerSource: 'c',
};

async function exported(stages: MergeRecipe[]): Promise<string> {
  const dir = await makeTempDir('export-for-file');
  const path = join(dir, 'chain.yaml');
  await writeFile(path, BEFORE);
  const r = await mergekitYamlForFile({ stages, path, recipeDir: undefined, fromGraph: true });
  expect(r.warnings).toEqual([]);
  expect(await readFile(path, 'utf8')).toBe(BEFORE); // the text is returned, not written here
  return r.text;
}

describe('mergekitYamlForFile from a graph', () => {
  it("an earlier stage's changed chat template is edited in place, its tokenizer source and comment kept", async () => {
    const text = await exported([soup({ tokenizerSource: 'base', chatTemplate: 'chatml' }), final]);
    expect(text).toBe(BEFORE.replace('chat_template: alpaca', 'chat_template: chatml'));
  });

  it("an earlier stage's settings cleared in the graph are removed from its document", async () => {
    const text = await exported([soup({}), final]);
    expect(text).toBe(
      lines(
        'name: soup',
        'merge_method: linear',
        'models: [{model: a, parameters: {weight: 1}}, {model: b, parameters: {weight: 1}}]',
        '---',
        'merge_method: linear',
        'models: [{model: soup, parameters: {weight: 1}}, {model: c, parameters: {weight: 1}}]',
        'tokenizer_source: c',
      ),
    );
  });
});
