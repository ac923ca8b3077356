/**
 * Zeroed float64 arrays reused by the statistics combines of this thread. A combine adds a few
 * 65536-bin histograms that never outlive it; a fresh array each time would be fresh memory, whose
 * first touch is slow on these machines (design.md: about 0.24 GB/s). Each slot is one array:
 * arrays of different slots may be live together, two uses of one slot may not.
 */
const slots = new Map<string, Float64Array>();

export function zeroedSums(slot: string, length: number): Float64Array {
  let a = slots.get(slot);
  if (!a || a.length < length) {
    a = new Float64Array(length);
    slots.set(slot, a);
  }
  const view = a.subarray(0, length);
  view.fill(0);
  return view;
}
