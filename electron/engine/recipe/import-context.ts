/** Where the importer is (file, line counter) and what it has found: failing and warning at a node. */
import type { LineCounter, Node } from 'yaml';
import { RecipeError, locationText, type RecipeWarning } from './recipe-error.js';

export interface Position {
  line: number;
  column: number;
}

export class ImportContext {
  readonly warnings: RecipeWarning[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  /** 1-based line and column of a node's first character (undefined for a missing node). */
  positionOf(node: Node | null | undefined): Position | undefined {
    const start = node?.range?.[0];
    if (start === undefined) return undefined;
    const { line, col } = this.lineCounter.linePos(start);
    return { line, column: col };
  }

  fail(node: Node | null | undefined, reason: string): never {
    const p = this.positionOf(node);
    throw new RecipeError(reason, this.file, p?.line, p?.column);
  }

  warn(node: Node | null | undefined, text: string, extra: { key?: string; suggestion?: string } = {}): void {
    const p = this.positionOf(node);
    this.warnings.push({
      message: `${locationText(this.file, p?.line, p?.column)}: ${text}`,
      file: this.file,
      line: p?.line,
      column: p?.column,
      ...extra,
    });
  }
}
