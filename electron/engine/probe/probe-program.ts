/**
 * The probe program for a model: a language model scored on probe texts (tokenized by the
 * model's tokenizer), or an MLP classifier scored on CSV data sets (the "texts" are CSV).
 */
import { detectLanguageModel, type CheckpointHeaders } from './arch/detect-language-model.js';
import { lmProgram } from './lm/lm-program.js';
import { TS_MATMUL, type MatmulBackend } from './math/matmul.js';
import { parseCsvDataset } from './mlp/csv-dataset.js';
import { mlpProgram } from './mlp/mlp-program.js';
import { detectMlp, looksLikeMlp } from './mlp/mlp-spec.js';
import type { ProbeProgram } from './stream/program.js';
import type { ProbeText } from './text/probe-text.js';
import { segmentTexts } from './text/segments.js';
import { tokenizerFor, type ProbeTokenizer } from './text/tokenizer.js';
import type { WindowOptions } from './text/windows.js';

export interface ProgramOptions extends WindowOptions {
  matmul?: MatmulBackend;
  tokenizer?: ProbeTokenizer;
}

export interface BuiltProgram {
  program: ProbeProgram<unknown>;
  /** Identifies how the data was encoded (tokenizer hash, 'bytes', or 'csv'): part of cache keys. */
  encoding: string;
}

export async function programFor(headers: CheckpointHeaders, tokenizerFolder: string, texts: readonly ProbeText[], o: ProgramOptions = {}): Promise<BuiltProgram> {
  const mm = o.matmul ?? TS_MATMUL;
  if (texts.length === 0) throw new RangeError('the probe needs at least one probe text');
  if (looksLikeMlp(headers)) {
    const spec = detectMlp(headers);
    const data = texts.map((t) => parseCsvDataset(t.text, t.name));
    return { program: mlpProgram(spec, data, texts.map((t) => t.name), mm) as ProbeProgram<unknown>, encoding: 'csv' };
  }
  const spec = detectLanguageModel(headers);
  const tokenizer = o.tokenizer ?? (await tokenizerFor(tokenizerFolder, spec.vocab));
  const segments = segmentTexts(
    texts.map((t) => tokenizer.encode(t.text)),
    o,
    texts.map((t) => t.name),
  );
  return { program: lmProgram(spec, segments, texts.length, mm) as ProbeProgram<unknown>, encoding: tokenizer.id };
}
