/**
 * An imported recipe whose models are not on this machine (Hugging Face ids): each Model node says
 * why, several lines long, and grows; the nodes laid out below it move down instead of being
 * covered.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, openApp } from './web-host-fixture.js';
import { importYamlOverDemo } from './editor-helpers.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersect(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('an imported recipe with missing models: no two nodes overlap once the Model nodes show why', async ({ page, host }) => {
  const models = ['teknium/OpenHermes-2.5-Mistral-7B', 'HuggingFaceH4/zephyr-7b-beta', 'Intel/neural-chat-7b-v3-1', 'openchat/openchat-3.5-0106-gemma'];
  const path = join(host.home, 'missing-models.yaml');
  writeFileSync(
    path,
    ['merge_method: ties', 'base_model: mistralai/Mistral-7B-v0.1', 'models:', ...models.flatMap((m) => [`  - model: ${m}`, '    parameters: {weight: 0.5, density: 0.5}']), ''].join('\n'),
  );
  await openApp(page, host);
  await importYamlOverDemo(page, path);
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(7);
  await expect(page.locator('.react-flow__node-model .node-problem').filter({ hasText: 'is not available locally' })).toHaveCount(5);

  const overlapping = async (): Promise<string[]> => {
    const boxes = await nodes.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id') ?? '', ...e.getBoundingClientRect().toJSON() as Box })));
    return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => intersect(a, b)).map((b) => `${a.id} × ${b.id}`));
  };
  await expect.poll(overlapping).toEqual([]);
});
