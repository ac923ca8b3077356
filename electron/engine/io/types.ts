/** What the engine knows about a checkpoint after reading its headers (never its tensor data). */
import type { Dtype } from './dtype.js';

export interface TensorInfo {
  name: string;
  dtype: Dtype;
  shape: number[];
  numel: number;
  /** Absolute path of the .safetensors file holding it. */
  file: string;
  /** Absolute byte offset of the tensor's data in that file (header length included). */
  offset: number;
  byteLength: number;
}

export interface WeightFileInfo {
  /** Absolute path. */
  path: string;
  size: number;
  /** sha256 (hex) of the file's 8-byte length prefix and header bytes: identifies it cheaply. */
  headerSha256: string;
  /** The file's __metadata__ (string values). */
  metadata: Record<string, string>;
}

export interface CheckpointInfo {
  /** What the user gave: a .safetensors file or a folder (absolute). */
  path: string;
  /** The folder holding config.json / tokenizer files (the file's folder for a single file). */
  folder: string;
  files: WeightFileInfo[];
  /** Every tensor by name. */
  tensors: Map<string, TensorInfo>;
  /** Parsed config.json when present. */
  config?: Record<string, unknown>;
  /** From config (num_hidden_layers, n_layer, ...) or else from tensor names. */
  layerCount?: number;
  architecture?: string;
}

/** A bad input: the message names the file and, where it applies, the tensor. Exit status 2. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly tensor?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
