/**
 * An imported recipe's relative references, anchored where the CLI resolves them: the recipe's
 * folder. The imported project has no folder of its own yet (it is unsaved), so a reference to a
 * folder or file that exists beside the recipe becomes its absolute path; anything else (a Hugging
 * Face id, a folder not there) stays as written and is reported when the model is opened.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Project } from '../../common/graph/project-schema.js';

function anchored(ref: string, dir: string): string {
  const t = ref.trim();
  if (t === '' || isAbsolute(t) || t === '~' || t.startsWith('~/') || t.startsWith('~\\')) return ref;
  const local = resolve(dir, t);
  return existsSync(local) ? local : ref;
}

export function anchorImportedPaths(project: Project, dir: string): Project {
  const nodes = project.nodes.map((n) => {
    const d = n.data;
    if (d.kind === 'model') return { ...n, data: { ...d, path: anchored(d.path, dir) } };
    if (d.kind === 'lora') return { ...n, data: { ...d, adapter: anchored(d.adapter, dir) } };
    if (d.kind === 'fisher' && d.source === 'file') return { ...n, data: { ...d, file: anchored(d.file, dir) } };
    return n;
  });
  return { ...project, nodes };
}
