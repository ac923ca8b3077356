/**
 * What dropping folders and files onto the window does (desktop): a project file opens; a Crucible
 * output (folder or one of its .safetensors files, whose header records a graph or a recipe)
 * reopens the recipe that made it; anything else becomes a Model node, as before. Only one project
 * can open, so when the drop holds one, that first one opens and the other items are left alone.
 */
export interface DroppedItem {
  path: string;
  /** From the checkpoint's header: Crucible wrote it (recording its graph, or only its recipe). Absent when not, or unreadable. */
  crucibleOutput?: 'graph' | 'recipe';
}

export type DropPlan =
  | { kind: 'openProject'; path: string; ignored: string[] }
  | { kind: 'openOutput'; path: string; ignored: string[] }
  | { kind: 'addModels'; paths: string[] };

export function isProjectFile(path: string): boolean {
  return /\.crucible\.json$/i.test(path);
}

/** Whether the item's header must be read before deciding (project files need not be). */
export function needsHeader(path: string): boolean {
  return !isProjectFile(path);
}

export function planDrop(items: readonly DroppedItem[]): DropPlan | null {
  const paths = items.map((i) => i.path).filter((p) => p.length > 0);
  const opener = items.find((i) => i.path && (isProjectFile(i.path) || i.crucibleOutput !== undefined));
  if (opener) {
    const ignored = paths.filter((p) => p !== opener.path);
    return isProjectFile(opener.path) ? { kind: 'openProject', path: opener.path, ignored } : { kind: 'openOutput', path: opener.path, ignored };
  }
  return paths.length ? { kind: 'addModels', paths } : null;
}
