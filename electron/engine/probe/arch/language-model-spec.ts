/** What the probe's forward pass needs to know about a language model: sizes, options, tensor names. */

export interface LlamaLayerNames {
  inputNorm: string;
  q: string;
  k: string;
  v: string;
  o: string;
  postNorm: string;
  gate: string;
  up: string;
  down: string;
  /** Bias tensor names, present only where the architecture has them (Qwen2: q, k, v). */
  qBias?: string;
  kBias?: string;
  vBias?: string;
  oBias?: string;
  gateBias?: string;
  upBias?: string;
  downBias?: string;
}

/** Llama, Mistral and Qwen2 (RMSNorm, RoPE rotate-half, grouped KV heads, SiLU-gated MLP). */
export interface LlamaSpec {
  kind: 'llama';
  /** model_type: llama, mistral or qwen2. */
  family: string;
  vocab: number;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  eps: number;
  /** After rope_scaling. */
  invFreq: Float32Array;
  /** Longest window the model computes correctly (sliding-window attention limit), if any. */
  maxWindow?: number;
  embed: string;
  finalNorm: string;
  /** lm_head.weight, or the embedding when tied. */
  head: string;
  tied: boolean;
  layer(i: number): LlamaLayerNames;
}

export interface Gpt2LayerNames {
  ln1w: string;
  ln1b: string;
  attnW: string;
  attnB: string;
  projW: string;
  projB: string;
  ln2w: string;
  ln2b: string;
  fcW: string;
  fcB: string;
  fcProjW: string;
  fcProjB: string;
}

/** GPT-2 (LayerNorm, learned positions, Conv1D weights [in, out], gelu_new, tied head). */
export interface Gpt2Spec {
  kind: 'gpt2';
  family: 'gpt2';
  vocab: number;
  hidden: number;
  inner: number;
  layers: number;
  heads: number;
  headDim: number;
  eps: number;
  /** n_positions: the longest window. */
  maxWindow: number;
  wte: string;
  wpe: string;
  lnfW: string;
  lnfB: string;
  head: string;
  tied: boolean;
  layer(i: number): Gpt2LayerNames;
}

export type LanguageModelSpec = LlamaSpec | Gpt2Spec;
