/** Probe texts as the UI names them: a bundled text by file name (assets/probe-texts/), or a file on the host. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundledText, ProbeTextRef } from '../../common/contract/tasks.js';
import type { ProbeText } from '../engine/probe/index.js';
import type { ProbePort } from './probe-port.js';
import { resolveUserPath } from './resolve-path.js';
import { fail } from './service-error.js';

export function bundledTextsDir(assetsDir: string): string {
  return join(assetsDir, 'probe-texts');
}

async function bundledNames(assetsDir: string): Promise<string[]> {
  try {
    return (await readdir(bundledTextsDir(assetsDir))).filter((f) => f.endsWith('.txt')).sort();
  } catch {
    return [];
  }
}

export async function listBundledTexts(assetsDir: string): Promise<BundledText[]> {
  const names = await bundledNames(assetsDir);
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(bundledTextsDir(assetsDir), name), 'utf8');
      return { name, chars: text.length, excerpt: text.slice(0, 160).replace(/\s+/g, ' ').trim() };
    }),
  );
}

/** Reads every text of a request; a bundled name must be one of the bundled files (no paths through it). */
export async function resolveProbeTexts(refs: readonly ProbeTextRef[], ctx: { assetsDir: string; recipeDir: string; port: ProbePort }): Promise<ProbeText[]> {
  const names = await bundledNames(ctx.assetsDir);
  return Promise.all(
    refs.map((r) => {
      if (r.kind === 'bundled') {
        if (!names.includes(r.name)) fail('input', `No bundled probe text named '${r.name}' (there are ${names.join(', ') || 'none'}).`);
        return ctx.port.readProbeText(join(bundledTextsDir(ctx.assetsDir), r.name));
      }
      return ctx.port.readProbeText(resolveUserPath(r.path, ctx.recipeDir));
    }),
  );
}
