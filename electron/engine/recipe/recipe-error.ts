/** Problems found while reading a recipe file: fatal ones (RecipeError) and warnings. */

/** A recipe that cannot be imported: names the file and, when known, the line and column (1-based). */
export class RecipeError extends Error {
  constructor(
    /** What is wrong, without the location. */
    readonly reason: string,
    readonly file: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${locationText(file, line, column)}: ${reason}`);
    this.name = 'RecipeError';
  }
}

/** Something the user should see; the recipe still imports. */
export interface RecipeWarning {
  /** Complete, with the location. */
  message: string;
  file: string;
  line?: number;
  column?: number;
  /** The YAML key concerned, when there is one. */
  key?: string;
  /** The nearest known key, for an unknown one. */
  suggestion?: string;
}

export function locationText(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}
