/** `crucible inspect PATH [--json]`: tensors, parameter count, layers, architecture. */
import { resolve } from 'node:path';
import { openCheckpoint } from '../../engine/io/checkpoint.js';
import type { Reporter } from '../output.js';

export async function inspectCommand(path: string, r: Reporter): Promise<void> {
  const ck = await openCheckpoint(resolve(path));
  const tensors = [...ck.tensors.values()].map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape }));
  const parameters = [...ck.tensors.values()].reduce((s, t) => s + t.numel, 0);
  const summary = { architecture: ck.architecture ?? null, layers: ck.layerCount ?? null, parameters, tensors };
  if (r.json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  r.info(`${ck.path}`);
  r.info(`architecture: ${summary.architecture ?? 'unknown'}   layers: ${summary.layers ?? 'unknown'}   parameters: ${parameters.toLocaleString('en-US')}   tensors: ${tensors.length}`);
  const width = Math.max(...tensors.map((t) => t.name.length), 4);
  for (const t of tensors) r.info(`${t.name.padEnd(width)}  ${t.dtype.padEnd(5)}  [${t.shape.join(', ')}]`);
}
