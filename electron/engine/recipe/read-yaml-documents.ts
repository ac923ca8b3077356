/** YAML text → parsed documents with positions; any syntax error (duplicate keys included) is fatal. */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { findOrphanModelList } from './missing-models-key.js';
import { RecipeError } from './recipe-error.js';
import { yamlLimitProblem } from './yaml-limits.js';

export interface YamlDocuments {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

export function readYamlDocuments(text: string, file: string): YamlDocuments {
  const tooBig = yamlLimitProblem(text);
  if (tooBig) throw new RecipeError(`not a usable recipe: ${tooBig}`, file);
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const doc of documents) {
    const error = doc.errors[0];
    if (!error) continue;
    const orphan = findOrphanModelList(text);
    if (orphan) {
      throw new RecipeError(
        'no `models:` or `slices:` key: the list of models here is not under a `models:` key (add `models:` on the line before it)',
        file,
        orphan.line,
        orphan.column,
      );
    }
    const pos = error.linePos?.[0];
    const what =
      error.code === 'DUPLICATE_KEY'
        ? `duplicate key '${keyAt(text, error.pos[0])}' (two recipes pasted together? separate documents with a line '---')`
        : firstLine(error.message);
    throw new RecipeError(`not valid YAML: ${what}`, file, pos?.line, pos?.col);
  }
  return { documents, lineCounter };
}

/** The parser's message without its own " at line L, column C:" suffix and source excerpt. */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** The key written at `offset` (up to its colon). */
function keyAt(text: string, offset: number): string {
  return (/^[^:\n]*/.exec(text.slice(offset))?.[0] ?? '').trim();
}
