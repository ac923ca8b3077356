/**
 * What `crucible merge` was given: a mergekit YAML file (one or several stages) or a Crucible
 * project file (JSON, one merge per Output node). Told apart by content, not by name.
 */
import { dirname, resolve } from 'node:path';
import type { CompiledJob } from '../../common/graph/compile.js';
import { loadProject } from '../../common/graph/load-project.js';
import { PROJECT_FORMAT, type Project } from '../../common/graph/project-schema.js';
import type { MergeRecipe } from '../../common/recipe/types.js';
import { InputError } from '../engine/io/types.js';
import { parseMergekitYaml } from '../engine/recipe/mergekit-yaml.js';
import { projectJobs } from './project-jobs.js';
import { readTextFile } from './read-text-file.js';

export interface YamlSource {
  kind: 'yaml';
  file: string;
  /** Relative model references resolve against it. */
  dir: string;
  text: string;
  /** In file order. */
  stages: MergeRecipe[];
  warnings: string[];
}

export interface ProjectSource {
  kind: 'project';
  file: string;
  dir: string;
  project: Project;
  /** One per Output node, in node order. */
  jobs: CompiledJob[];
  warnings: string[];
}

export type MergeSource = YamlSource | ProjectSource;

/**
 * A JSON object that says it is a Crucible project: by its `format`, or a version 1 project (the
 * prototype's files had no `format`, only `version: 1` and their nodes); loadProject migrates it.
 */
export function projectJson(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const json = JSON.parse(text) as { format?: unknown; version?: unknown; nodes?: unknown };
    if (json === null || typeof json !== 'object') return undefined;
    return json.format === PROJECT_FORMAT || (json.format === undefined && json.version === 1 && Array.isArray(json.nodes)) ? json : undefined;
  } catch {
    return undefined;
  }
}

export function parseMergeSource(text: string, abs: string): MergeSource {
  const json = projectJson(text);
  if (json !== undefined) {
    const loaded = loadProject(json, abs);
    if (!loaded.ok) throw new InputError(loaded.reason, abs);
    const warnings = loaded.migratedFrom === null ? [] : [`${abs} is a version ${loaded.migratedFrom} project: read as the current version`];
    return { kind: 'project', file: abs, dir: dirname(abs), project: loaded.project, jobs: projectJobs(loaded.project, abs), warnings };
  }
  const parsed = parseMergekitYaml(text, abs);
  return {
    kind: 'yaml',
    file: abs,
    dir: dirname(abs),
    text,
    stages: parsed.recipes,
    warnings: parsed.warnings.map((w) => w.message),
  };
}

export async function loadMergeSource(path: string): Promise<MergeSource> {
  const abs = resolve(path);
  return parseMergeSource(await readTextFile(abs, 'recipe'), abs);
}
