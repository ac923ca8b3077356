/**
 * The tensors of a PEFT adapter file, paired per adapted module and checked against the base
 * model: `base_model.model.<module>.lora_A[.<adapter>].weight` [r, in] with `lora_B` [out, r]
 * (Linear), `lora_embedding_A` [r, vocab] with `lora_embedding_B` [dim, r] (Embedding), and any
 * other tensor (modules_to_save, trained biases) replacing the base tensor of the same name.
 */
import { InputError, type CheckpointInfo, type TensorInfo } from '../io/types.js';
import type { LoraAdapterConfig } from './adapter-config.js';
import { isTargetModule, loraScale } from './module-patterns.js';

export interface LoraPair {
  /** The adapted module, as named in the base model (e.g. model.layers.0.self_attn.q_proj). */
  module: string;
  /** The base tensor the update adds to (module + '.weight'). */
  target: string;
  kind: 'linear' | 'embedding';
  a: TensorInfo;
  b: TensorInfo;
  rank: number;
  /** float64 scaling of B·A (alpha / r or alpha / sqrt r). */
  scale: number;
  /** ΔW is (B·A)ᵀ: embeddings, and Linear layers stored [in, out] (fan_in_fan_out). */
  transposed: boolean;
}

export interface LoraReplacement {
  /** The base tensor replaced. */
  target: string;
  source: TensorInfo;
}

export interface AdapterPlan {
  pairs: LoraPair[];
  replacements: LoraReplacement[];
}

const PREFIX = 'base_model.model.';
const LORA = /^(.*)\.(lora_A|lora_B|lora_embedding_A|lora_embedding_B)(?:\.(?!weight$)([^.]+))?(?:\.weight)?$/;

function inputError(t: TensorInfo, message: string): InputError {
  return new InputError(`${t.file}: tensor ${JSON.stringify(t.name)}: ${message}`, t.file, t.name);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Base tensor name of a non-LoRA adapter tensor: the prefix, `.modules_to_save` and the adapter name dropped. */
function replacementTarget(name: string, adapterName: string | undefined): string {
  let n = name.slice(PREFIX.length).replace('.modules_to_save.', '.');
  if (adapterName) n = n.replace(`.${adapterName}.`, '.');
  return n;
}

/**
 * Pairs the adapter's tensors and checks them against its config and the base's headers.
 * Throws InputError naming the adapter file and tensor.
 */
export function planAdapter(adapter: Pick<CheckpointInfo, 'tensors' | 'path'>, config: LoraAdapterConfig, base: Pick<CheckpointInfo, 'tensors' | 'path'>): AdapterPlan {
  const halves = new Map<string, { a?: TensorInfo; b?: TensorInfo; kind: 'linear' | 'embedding'; adapterName?: string }>();
  const others: TensorInfo[] = [];
  for (const t of adapter.tensors.values()) {
    if (!t.name.startsWith(PREFIX)) throw inputError(t, `is not a PEFT adapter tensor (names start with "${PREFIX}")`);
    if (t.name.includes('lora_magnitude_vector')) throw inputError(t, 'is a DoRA magnitude vector: DoRA adapters are not supported yet');
    const m = LORA.exec(t.name.slice(PREFIX.length));
    if (!m) {
      others.push(t);
      continue;
    }
    const [, module, part, adapterName] = m;
    const kind = part.startsWith('lora_embedding') ? 'embedding' : 'linear';
    const entry = halves.get(module) ?? { kind };
    if (entry.kind !== kind) throw inputError(t, `module ${module} has both Linear and Embedding LoRA factors`);
    const isA = part.endsWith('A');
    if ((isA ? entry.a : entry.b) !== undefined) throw inputError(t, `module ${module} has two ${part} tensors (several adapters in one file are not supported)`);
    if (isA) entry.a = t;
    else entry.b = t;
    entry.adapterName ??= adapterName;
    halves.set(module, entry);
  }

  const pairs: LoraPair[] = [];
  for (const [module, h] of halves) {
    const present = h.a ?? h.b!;
    if (!h.a || !h.b) throw inputError(present, `module ${module} has lora_${h.a ? 'B' : 'A'} missing: an adapter needs both factors`);
    if (!isTargetModule(module, config.targetModules)) {
      throw inputError(present, `adapts module ${module}, which adapter_config.json's target_modules (${JSON.stringify(config.targetModules)}) does not include`);
    }
    const { a, b } = h;
    if (a.shape.length !== 2 || b.shape.length !== 2) throw inputError(a.shape.length !== 2 ? a : b, 'LoRA factors must be matrices');
    const [rank, aCols] = a.shape;
    const [bRows, bRank] = b.shape;
    if (bRank !== rank) throw inputError(b, `shape ${shapeText(b.shape)} does not fit lora_A's ${shapeText(a.shape)} (rank ${rank})`);
    const s = loraScale(module, config);
    if (s.rank !== rank) throw inputError(a, `has rank ${rank}, adapter_config.json says r = ${s.rank} for module ${module}`);
    const target = `${module}.weight`;
    const baseInfo = base.tensors.get(target);
    if (!baseInfo) throw inputError(a, `adapts ${target}, which the base model ${base.path} does not have`);
    const transposed = h.kind === 'embedding' || config.fanInFanOut;
    const expected = transposed ? [aCols, bRows] : [bRows, aCols];
    if (baseInfo.shape.length !== 2 || baseInfo.shape[0] !== expected[0] || baseInfo.shape[1] !== expected[1]) {
      throw inputError(
        a,
        `the update B·A${transposed ? 'ᵀ' : ''} has shape ${shapeText(expected)}, but the base model's ${target} is ${shapeText(baseInfo.shape)} (${baseInfo.file})`,
      );
    }
    pairs.push({ module, target, kind: h.kind, a, b, rank, scale: s.scale, transposed });
  }

  const adapterName = [...halves.values()].find((h) => h.adapterName)?.adapterName;
  const replacements: LoraReplacement[] = others.map((t) => {
    const target = replacementTarget(t.name, adapterName);
    const baseInfo = base.tensors.get(target);
    if (!baseInfo) throw inputError(t, `is neither a LoRA factor nor a tensor of the base model ${base.path} (looked for ${JSON.stringify(target)})`);
    if (baseInfo.shape.join() !== t.shape.join()) {
      throw inputError(t, `replaces ${target}, but their shapes differ: ${shapeText(t.shape)} here, ${shapeText(baseInfo.shape)} in ${baseInfo.file}`);
    }
    return { target, source: t };
  });
  const replaced = new Set(replacements.map((r) => r.target));
  for (const p of pairs) if (replaced.has(p.target)) throw inputError(p.a, `${p.target} is both replaced and adapted by the adapter`);
  if (pairs.length === 0 && replacements.length === 0) throw new InputError(`${adapter.path}: the adapter holds no tensors`, adapter.path);
  return { pairs, replacements };
}
