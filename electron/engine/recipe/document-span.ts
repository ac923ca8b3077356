/** Where one document of a multi-document YAML file is in its text, comments before its keys included. */
import type { Document } from 'yaml';

/** [start, end): from the end of the document before it (else the start of the file) to the end of this one. */
export function documentSpan(documents: readonly Document.Parsed[], doc: Document.Parsed): [number, number] {
  const i = documents.indexOf(doc);
  return [i > 0 ? documents[i - 1].range[2] : 0, doc.range[2]];
}
