/**
 * The MLP classifier the probe runs: tensors `layers.N.weight` [out, in] and `layers.N.bias` [out],
 * applied in increasing N with ReLU between consecutive layers (not after the last); its output
 * is the class logits. N need not be contiguous (nn.Sequential numbers the ReLUs too).
 */
import type { TensorInfo } from '../../io/types.js';
import { InputError } from '../../io/types.js';
import type { CheckpointHeaders } from '../arch/detect-language-model.js';

const NAME = /^layers\.(\d+)\.(weight|bias)$/;

export interface MlpLayer {
  weight: string;
  bias?: string;
  inDim: number;
  outDim: number;
}

export interface MlpSpec {
  kind: 'mlp';
  layers: MlpLayer[];
  inputs: number;
  classes: number;
}

/** True when every tensor is named layers.N.weight / layers.N.bias (and there is at least one). */
export function looksLikeMlp(ck: Pick<CheckpointHeaders, 'tensors'>): boolean {
  return ck.tensors.size > 0 && [...ck.tensors.keys()].every((n) => NAME.test(n));
}

export function detectMlp(ck: Pick<CheckpointHeaders, 'path' | 'tensors'>): MlpSpec {
  const byIndex = new Map<number, { weight?: TensorInfo; bias?: TensorInfo }>();
  for (const [name, info] of ck.tensors) {
    const m = NAME.exec(name);
    if (!m) throw new InputError(`${ck.path}: tensor ${JSON.stringify(name)} is not an MLP layer (layers.N.weight / layers.N.bias)`, ck.path, name);
    const entry = byIndex.get(Number(m[1])) ?? {};
    entry[m[2] as 'weight' | 'bias'] = info;
    byIndex.set(Number(m[1]), entry);
  }
  const layers: MlpLayer[] = [];
  for (const [i, { weight, bias }] of [...byIndex].sort((a, b) => a[0] - b[0])) {
    if (!weight) throw new InputError(`${ck.path}: layers.${i}.bias has no layers.${i}.weight`, ck.path, `layers.${i}.weight`);
    if (weight.shape.length !== 2) throw new InputError(`${weight.file}: tensor "layers.${i}.weight" must be 2-D [out, in] (got [${weight.shape.join(', ')}])`, weight.file, weight.name);
    const [outDim, inDim] = weight.shape;
    if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outDim)) {
      throw new InputError(`${bias.file}: tensor "layers.${i}.bias" has shape [${bias.shape.join(', ')}], expected [${outDim}]`, bias.file, bias.name);
    }
    const prev = layers.at(-1);
    if (prev && prev.outDim !== inDim) {
      throw new InputError(`${weight.file}: tensor "layers.${i}.weight" takes ${inDim} inputs but the previous layer gives ${prev.outDim}`, weight.file, weight.name);
    }
    layers.push({ weight: weight.name, bias: bias?.name, inDim, outDim });
  }
  return { kind: 'mlp', layers, inputs: layers[0].inDim, classes: layers[layers.length - 1].outDim };
}
