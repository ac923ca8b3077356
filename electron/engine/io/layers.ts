/** The decoder-layer index a tensor name carries, by the common naming conventions. */

// `.layers.N.` (Llama, Mistral, Qwen...), `.h.N.` (GPT-2, Falcon, BLOOM), `.blocks.N.` (RWKV, MPT);
// at the start of the name too, for checkpoints saved without a prefix (`h.0.attn.c_attn.weight`).
const LAYER = /(?:^|\.)(?:layers|h|blocks)\.(\d+)(?:\.|$)/;

/** The first `layers.N` / `h.N` / `blocks.N` index in `name`, or null. */
export function layerIndexOf(name: string): number | null {
  const m = LAYER.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** max layer index + 1 over the names, or undefined when none has a layer index. */
export function layerCountFromNames(names: Iterable<string>): number | undefined {
  let max = -1;
  for (const name of names) {
    const i = layerIndexOf(name);
    if (i !== null && i > max) max = i;
  }
  return max < 0 ? undefined : max + 1;
}
