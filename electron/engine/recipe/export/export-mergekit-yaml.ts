/**
 * The exporter's entry point: recipes (one per stage) → mergekit YAML text, written anew or over
 * an existing file whose comments and layout are kept (update-mergekit-yaml.ts).
 */
import type { MergeRecipe } from '../../../../common/recipe/types.js';
import { updateMergekitYaml, type UpdateOptions } from './update-mergekit-yaml.js';
import { writeMergekitYaml, type MergekitYamlText } from './write-mergekit-yaml.js';

export interface ExportOptions extends UpdateOptions {
  /** The text of the file being overwritten, if there is one. */
  previousText?: string;
}

export function exportMergekitYaml(stages: readonly MergeRecipe[], opts: ExportOptions = {}): MergekitYamlText {
  if (stages.length === 0) throw new Error('nothing to export: no recipe');
  return opts.previousText === undefined ? writeMergekitYaml(stages) : updateMergekitYaml(opts.previousText, stages, opts);
}

export type { MergekitYamlText };
