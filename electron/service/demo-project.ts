/** The bundled demo: its project file with model paths made absolute and the output in the config folder. */
import { join, resolve } from 'node:path';
import type { Project } from '../../common/graph/project-schema.js';
import { readProjectFile } from './project-files.js';

export function demoProjectPath(assetsDir: string): string {
  return join(assetsDir, 'demo', 'demo.crucible.json');
}

export async function loadDemoProject(assetsDir: string, configDir: string): Promise<{ project: Project; path: string }> {
  const path = demoProjectPath(assetsDir);
  const { project } = await readProjectFile(path);
  const folder = join(assetsDir, 'demo');
  const nodes = project.nodes.map((n) => {
    if (n.data.kind === 'model' && n.data.path) return { ...n, data: { ...n.data, path: resolve(folder, n.data.path) } };
    if (n.data.kind === 'output') return { ...n, data: { ...n.data, folder: join(configDir, 'demo-output'), overwrite: true } };
    return n;
  });
  return { project: { ...project, nodes }, path };
}
