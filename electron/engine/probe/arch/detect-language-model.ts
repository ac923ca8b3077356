/**
 * Reads a checkpoint's config.json and tensor headers into a LanguageModelSpec, or refuses with a
 * message naming what is missing or unsupported (never a guess that would give wrong numbers).
 */
import type { CheckpointInfo } from '../../io/types.js';
import { InputError } from '../../io/types.js';
import { configBool, configInt, configNumber, configString, type Config } from './config-values.js';
import type { Gpt2LayerNames, Gpt2Spec, LanguageModelSpec, LlamaLayerNames, LlamaSpec } from './language-model-spec.js';
import { parseRopeScaling, ropeInvFreq } from './rope-frequencies.js';

const LLAMA_FAMILY: Record<string, string> = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'mistral',
  Qwen2ForCausalLM: 'qwen2',
  GPT2LMHeadModel: 'gpt2',
  llama: 'llama',
  mistral: 'mistral',
  qwen2: 'qwen2',
  gpt2: 'gpt2',
};

/** Model families the probe runs, for messages. */
export const SUPPORTED_FAMILIES = 'Llama, Mistral, Qwen2 and GPT-2';

/** The subset of CheckpointInfo detection needs (tests can build it by hand). */
export type CheckpointHeaders = Pick<CheckpointInfo, 'path' | 'config' | 'tensors'>;

export function detectLanguageModel(ck: CheckpointHeaders): LanguageModelSpec {
  const file = ck.path;
  if (!ck.config) throw new InputError(`${file}: no config.json beside the weights; the probe needs it to know the architecture`, file);
  const config = ck.config;
  const archs = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  const modelType = typeof config.model_type === 'string' ? config.model_type : undefined;
  const family = [...archs, modelType].map((a) => (a ? LLAMA_FAMILY[a] : undefined)).find((f) => f !== undefined);
  if (!family) {
    const what = archs[0] ?? modelType ?? 'an unnamed architecture';
    throw new InputError(`${file}: the probe has no forward pass for ${what} (it runs ${SUPPORTED_FAMILIES})`, file);
  }
  const spec = family === 'gpt2' ? gpt2Spec(config, ck, file) : llamaSpec(family, config, ck, file);
  checkTensors(spec, ck, file);
  return spec;
}

function llamaSpec(family: string, config: Config, ck: CheckpointHeaders, file: string): LlamaSpec {
  const hidden = configInt(config, 'hidden_size', file);
  const heads = configInt(config, 'num_attention_heads', file);
  const kvHeads = configInt(config, 'num_key_value_heads', file, heads);
  const headDim = configInt(config, 'head_dim', file, hidden / heads);
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new InputError(`${file}: head_dim ${headDim} must be an even integer`, file);
  if (heads % kvHeads !== 0) throw new InputError(`${file}: ${heads} attention heads are not a multiple of ${kvHeads} key/value heads`, file);
  const act = configString(config, 'hidden_act', file, 'silu');
  if (act !== 'silu') throw new InputError(`${file}: hidden_act "${act}" is not implemented in the probe (Llama-family models use silu)`, file);
  const partial = configNumber(config, 'partial_rotary_factor', file, 1);
  if (partial !== 1) throw new InputError(`${file}: partial_rotary_factor ${partial} is not implemented in the probe`, file);
  const scaling = parseRopeScaling(config, file);
  const theta = configNumber(config, 'rope_theta', file, 10000);
  const attnBias = family === 'llama' && configBool(config, 'attention_bias', file, false);
  const mlpBias = family === 'llama' && configBool(config, 'mlp_bias', file, false);
  const qkvBias = family === 'qwen2' || attnBias;
  let maxWindow: number | undefined;
  if (family === 'mistral' && config.sliding_window != null) maxWindow = configInt(config, 'sliding_window', file);
  if (family === 'qwen2' && configBool(config, 'use_sliding_window', file, false)) maxWindow = configInt(config, 'sliding_window', file);
  const tied = configBool(config, 'tie_word_embeddings', file, false) || !ck.tensors.has('lm_head.weight');
  const layer = (i: number): LlamaLayerNames => {
    const p = `model.layers.${i}.`;
    const names: LlamaLayerNames = {
      inputNorm: `${p}input_layernorm.weight`,
      q: `${p}self_attn.q_proj.weight`,
      k: `${p}self_attn.k_proj.weight`,
      v: `${p}self_attn.v_proj.weight`,
      o: `${p}self_attn.o_proj.weight`,
      postNorm: `${p}post_attention_layernorm.weight`,
      gate: `${p}mlp.gate_proj.weight`,
      up: `${p}mlp.up_proj.weight`,
      down: `${p}mlp.down_proj.weight`,
    };
    if (qkvBias) Object.assign(names, { qBias: `${p}self_attn.q_proj.bias`, kBias: `${p}self_attn.k_proj.bias`, vBias: `${p}self_attn.v_proj.bias` });
    if (attnBias) names.oBias = `${p}self_attn.o_proj.bias`;
    if (mlpBias) Object.assign(names, { gateBias: `${p}mlp.gate_proj.bias`, upBias: `${p}mlp.up_proj.bias`, downBias: `${p}mlp.down_proj.bias` });
    return names;
  };
  return {
    kind: 'llama',
    family,
    vocab: configInt(config, 'vocab_size', file),
    hidden,
    intermediate: configInt(config, 'intermediate_size', file),
    layers: configInt(config, 'num_hidden_layers', file),
    heads,
    kvHeads,
    headDim,
    eps: configNumber(config, 'rms_norm_eps', file, 1e-6),
    invFreq: ropeInvFreq(headDim, theta, scaling),
    maxWindow,
    embed: 'model.embed_tokens.weight',
    finalNorm: 'model.norm.weight',
    head: tied ? 'model.embed_tokens.weight' : 'lm_head.weight',
    tied,
    layer,
  };
}

function gpt2Spec(config: Config, ck: CheckpointHeaders, file: string): Gpt2Spec {
  const prefix = ck.tensors.has('transformer.wte.weight') ? 'transformer.' : '';
  const hidden = configInt(config, ['n_embd', 'hidden_size'], file);
  const heads = configInt(config, ['n_head', 'num_attention_heads'], file);
  if (hidden % heads !== 0) throw new InputError(`${file}: n_embd ${hidden} is not a multiple of n_head ${heads}`, file);
  const act = configString(config, 'activation_function', file, 'gelu_new');
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') {
    throw new InputError(`${file}: activation_function "${act}" is not implemented in the probe (gelu_new is)`, file);
  }
  if (configBool(config, 'scale_attn_by_inverse_layer_idx', file, false)) {
    throw new InputError(`${file}: scale_attn_by_inverse_layer_idx is not implemented in the probe`, file);
  }
  if (!configBool(config, 'scale_attn_weights', file, true)) throw new InputError(`${file}: scale_attn_weights false is not implemented in the probe`, file);
  const tied = configBool(config, 'tie_word_embeddings', file, true) || !ck.tensors.has('lm_head.weight');
  const layer = (i: number): Gpt2LayerNames => {
    const p = `${prefix}h.${i}.`;
    return {
      ln1w: `${p}ln_1.weight`,
      ln1b: `${p}ln_1.bias`,
      attnW: `${p}attn.c_attn.weight`,
      attnB: `${p}attn.c_attn.bias`,
      projW: `${p}attn.c_proj.weight`,
      projB: `${p}attn.c_proj.bias`,
      ln2w: `${p}ln_2.weight`,
      ln2b: `${p}ln_2.bias`,
      fcW: `${p}mlp.c_fc.weight`,
      fcB: `${p}mlp.c_fc.bias`,
      fcProjW: `${p}mlp.c_proj.weight`,
      fcProjB: `${p}mlp.c_proj.bias`,
    };
  };
  return {
    kind: 'gpt2',
    family: 'gpt2',
    vocab: configInt(config, 'vocab_size', file),
    hidden,
    inner: configInt(config, 'n_inner', file, 4 * hidden),
    layers: configInt(config, ['n_layer', 'num_hidden_layers'], file),
    heads,
    headDim: hidden / heads,
    eps: configNumber(config, 'layer_norm_epsilon', file, 1e-5),
    maxWindow: configInt(config, ['n_positions', 'n_ctx'], file, 1024),
    wte: `${prefix}wte.weight`,
    wpe: `${prefix}wpe.weight`,
    lnfW: `${prefix}ln_f.weight`,
    lnfB: `${prefix}ln_f.bias`,
    head: tied ? `${prefix}wte.weight` : 'lm_head.weight',
    tied,
    layer,
  };
}

/** Every tensor the forward pass reads, with the shape it must have. */
export function expectedShapes(spec: LanguageModelSpec): Map<string, number[]> {
  const m = new Map<string, number[]>();
  if (spec.kind === 'llama') {
    const { hidden: H, vocab: V, intermediate: I, heads, kvHeads, headDim } = spec;
    m.set(spec.embed, [V, H]);
    m.set(spec.finalNorm, [H]);
    m.set(spec.head, [V, H]);
    for (let i = 0; i < spec.layers; i++) {
      const n = spec.layer(i);
      m.set(n.inputNorm, [H]).set(n.postNorm, [H]);
      m.set(n.q, [heads * headDim, H]).set(n.k, [kvHeads * headDim, H]).set(n.v, [kvHeads * headDim, H]).set(n.o, [H, heads * headDim]);
      m.set(n.gate, [I, H]).set(n.up, [I, H]).set(n.down, [H, I]);
      if (n.qBias) m.set(n.qBias, [heads * headDim]);
      if (n.kBias) m.set(n.kBias, [kvHeads * headDim]);
      if (n.vBias) m.set(n.vBias, [kvHeads * headDim]);
      if (n.oBias) m.set(n.oBias, [H]);
      if (n.gateBias) m.set(n.gateBias, [I]);
      if (n.upBias) m.set(n.upBias, [I]);
      if (n.downBias) m.set(n.downBias, [H]);
    }
    return m;
  }
  const { hidden: H, vocab: V, inner: F } = spec;
  m.set(spec.wte, [V, H]);
  m.set(spec.wpe, [spec.maxWindow, H]);
  m.set(spec.lnfW, [H]).set(spec.lnfB, [H]);
  m.set(spec.head, [V, H]);
  for (let i = 0; i < spec.layers; i++) {
    const n = spec.layer(i);
    m.set(n.ln1w, [H]).set(n.ln1b, [H]).set(n.ln2w, [H]).set(n.ln2b, [H]);
    m.set(n.attnW, [H, 3 * H]).set(n.attnB, [3 * H]).set(n.projW, [H, H]).set(n.projB, [H]);
    m.set(n.fcW, [H, F]).set(n.fcB, [F]).set(n.fcProjW, [F, H]).set(n.fcProjB, [H]);
  }
  return m;
}

function checkTensors(spec: LanguageModelSpec, ck: CheckpointHeaders, file: string): void {
  const missing: string[] = [];
  for (const [name, shape] of expectedShapes(spec)) {
    const t = ck.tensors.get(name);
    if (!t) {
      missing.push(name);
      continue;
    }
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new InputError(
        `${t.file}: tensor ${JSON.stringify(name)} has shape [${t.shape.join(', ')}], the ${spec.family} config implies [${shape.join(', ')}]`,
        t.file,
        name,
      );
    }
    if (!['F32', 'F16', 'BF16', 'F64'].includes(t.dtype)) {
      throw new InputError(`${t.file}: tensor ${JSON.stringify(name)} has dtype ${t.dtype}; the probe reads F32, F16, BF16 and F64`, t.file, name);
    }
  }
  if (missing.length > 0) {
    const more = missing.length > 3 ? ` and ${missing.length - 3} more` : '';
    throw new InputError(
      `${file}: a ${spec.family} model needs tensor ${missing.slice(0, 3).map((n) => JSON.stringify(n)).join(', ')}${more}, not in the checkpoint`,
      file,
      missing[0],
    );
  }
}
