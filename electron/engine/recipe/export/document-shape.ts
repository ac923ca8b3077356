/**
 * Which parts of a mergekit document the patcher edits key by key or item by item (maps and
 * lists whose entries carry comments worth keeping), and which it treats as one value (a
 * parameter's gradient or filter list, a layer range).
 */
import type { MethodDescriptor } from '../../../../common/methods/types.js';
import { MODEL_ENTRY_KEYS, SLICE_KEYS, SLICE_SOURCE_KEYS } from '../mergekit-keys.js';

export type Shape = AtomicShape | MapShape | SeqShape;
export interface AtomicShape {
  kind: 'atomic';
}
export interface MapShape {
  kind: 'map';
  fields: Readonly<Record<string, Shape>>;
  /** Keys the importer reads: removed when the new value lacks them (others, ignored anyway, stay). */
  deletable: (key: string) => boolean;
  /** A list entry written as a bare scalar (`- org/model`) stands for this object. */
  fromScalar?: (value: unknown) => unknown;
}
export interface SeqShape {
  kind: 'seq';
  item: Shape;
  /** Entries with the same identity are the same entry, edited in place. */
  identity: (value: unknown) => string;
}

export const ATOMIC: AtomicShape = { kind: 'atomic' };

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function parametersShape(method: MethodDescriptor): MapShape {
  return { kind: 'map', fields: {}, deletable: (k) => method.params.some((p) => p.name === k) };
}

function modelEntryShape(method: MethodDescriptor): MapShape {
  return {
    kind: 'map',
    fields: { parameters: parametersShape(method) },
    deletable: (k) => MODEL_ENTRY_KEYS.includes(k),
    fromScalar: (v) => ({ model: v }),
  };
}

function sourceIdentity(v: unknown): string {
  return JSON.stringify([field(v, 'model'), field(v, 'layer_range')]);
}

function sliceShape(method: MethodDescriptor): MapShape {
  const source: MapShape = { kind: 'map', fields: { parameters: parametersShape(method) }, deletable: (k) => SLICE_SOURCE_KEYS.includes(k) };
  return {
    kind: 'map',
    fields: { sources: { kind: 'seq', item: source, identity: sourceIdentity }, parameters: parametersShape(method) },
    deletable: (k) => SLICE_KEYS.includes(k),
  };
}

export function documentShape(method: MethodDescriptor, deletableTopLevel: (key: string) => boolean): MapShape {
  const sliceIdentity = (v: unknown) => {
    const sources = field(v, 'sources');
    return JSON.stringify(Array.isArray(sources) ? sources.map(sourceIdentity) : null);
  };
  return {
    kind: 'map',
    fields: {
      models: { kind: 'seq', item: modelEntryShape(method), identity: (v) => String(typeof v === 'string' ? v : field(v, 'model')) },
      slices: { kind: 'seq', item: sliceShape(method), identity: sliceIdentity },
      parameters: parametersShape(method),
      tokenizer: { kind: 'map', fields: {}, deletable: (k) => k === 'source' },
    },
    deletable: deletableTopLevel,
  };
}
