/** One input checkpoint as the planner sees it: its tensors (tied head included) and layer count. */
import type { CheckpointInfo, TensorInfo } from '../io/types.js';
import { splitLayerName } from './tensor-names.js';
import { HEAD, tiedEmbeddingName } from './tied-embeddings.js';

export interface InputModel {
  /** As written in the recipe. */
  key: string;
  checkpoint: CheckpointInfo;
  /** Layers in its stack: from config (num_hidden_layers...) or else from its tensor names. */
  layerCount: number;
  /** The tensor a name refers to in this model (lm_head → its embedding when tied and a head is needed). */
  tensor(name: string): { info: TensorInfo; stored: string } | undefined;
  /** Tensor names in the checkpoint's order, the tied head included when it stands in for one. */
  names(): string[];
}

/** `headNeeded`: some input of the merge has a separate lm_head, so tied ones contribute theirs. */
export function inputModel(key: string, checkpoint: CheckpointInfo, headNeeded: boolean): InputModel {
  const tied = headNeeded ? tiedEmbeddingName(checkpoint) : undefined;
  const layerCount = checkpoint.layerCount ?? countLayers(checkpoint);
  return {
    key,
    checkpoint,
    layerCount,
    tensor(name) {
      const stored = name === HEAD && tied ? tied : name;
      const info = checkpoint.tensors.get(stored);
      return info ? { info, stored } : undefined;
    },
    names() {
      const names = [...checkpoint.tensors.keys()];
      return tied ? [...names, HEAD] : names;
    },
  };
}

function countLayers(ck: CheckpointInfo): number {
  let max = -1;
  for (const name of ck.tensors.keys()) max = Math.max(max, splitLayerName(name)?.layer ?? -1);
  return max + 1;
}
