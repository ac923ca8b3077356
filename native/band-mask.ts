// A band of magnitude ranks applied in place (types.ts, bandMask). band = [hiT, hiLeft, loT, loLeft]:
// int32 thresholds on bits(|x|) and unsigned tie budgets, consumed in flat order and written back.
// Elements not equal to a threshold need no budget: they are decided by signed comparisons,
// sixteen at a time. A block of sixteen holding ties is still decided whole when its ties of each
// threshold all fit in that threshold's budget (all in, the budget reduced by their count) or the
// budget is spent (all out): only the one block where a budget runs out goes through the scalar
// rule in order. Task vectors of bf16 fine-tunes take few distinct magnitudes, so the value at a
// cut is shared by a large share of a tensor: taking every such block through the scalar rule made
// bandMask 45% of a TIES merge's CPU time (engine bench models with fine-tune-like deltas of ±2 bf16
// ulps), where tie-free blocks make it about 5%. Once both budgets are spent, as they are in most
// calls, no tie can be kept and plain comparisons decide every element: 0.25 → 0.11 ns per element
// (a TIES merge of the engine bench, 2026-11-25: about 6% less user CPU time).

// The tie budgets while bandMask runs: module globals are per instance (each worker thread has its own).
let hiLeft: u32 = 0;
let loLeft: u32 = 0;

export function bandMask(x: usize, n: usize, band: usize): void {
  const hiT = load<i32>(band);
  hiLeft = load<u32>(band, 4);
  const loT = load<i32>(band, 8);
  loLeft = load<u32>(band, 12);
  // Every budget spent (the usual case: a cut's equal entries lie in one range, and are taken in
  // its first units): a lane equal to a threshold is never in that cut, so comparisons decide all.
  if ((hiLeft | loLeft) == 0) {
    if (loT == 0x7fffffff) spentHighOnly(x, n, hiT);
    else spentBand(x, n, hiT, loT);
    return;
  }
  const absMask = i32x4.splat(0x7fffffff);
  const vh = i32x4.splat(hiT);
  const vl = i32x4.splat(loT);
  let i: usize = 0;
  while (i < n) {
    if (i + 16 <= n) {
      const p = x + (i << 2);
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      const v2 = v128.load(p, 32);
      const v3 = v128.load(p, 48);
      const a0 = v128.and(v0, absMask);
      const a1 = v128.and(v1, absMask);
      const a2 = v128.and(v2, absMask);
      const a3 = v128.and(v3, absMask);
      const t01 = v128.or(v128.or(i32x4.eq(a0, vh), i32x4.eq(a0, vl)), v128.or(i32x4.eq(a1, vh), i32x4.eq(a1, vl)));
      const t23 = v128.or(v128.or(i32x4.eq(a2, vh), i32x4.eq(a2, vl)), v128.or(i32x4.eq(a3, vh), i32x4.eq(a3, vl)));
      if (!v128.any_true(v128.or(t01, t23))) {
        v128.store(p, v128.and(v0, v128.andnot(i32x4.gt_s(a0, vh), i32x4.gt_s(a0, vl))));
        v128.store(p, v128.and(v1, v128.andnot(i32x4.gt_s(a1, vh), i32x4.gt_s(a1, vl))), 16);
        v128.store(p, v128.and(v2, v128.andnot(i32x4.gt_s(a2, vh), i32x4.gt_s(a2, vl))), 32);
        v128.store(p, v128.and(v3, v128.andnot(i32x4.gt_s(a3, vh), i32x4.gt_s(a3, vl))), 48);
        i += 16;
        continue;
      }
      // Ties in the block: each threshold's equal lanes are all in (budget enough), all out
      // (budget spent), or the budget runs out inside the block (the scalar rule below).
      const eh0 = i32x4.eq(a0, vh);
      const eh1 = i32x4.eq(a1, vh);
      const eh2 = i32x4.eq(a2, vh);
      const eh3 = i32x4.eq(a3, vh);
      const el0 = i32x4.eq(a0, vl);
      const el1 = i32x4.eq(a1, vl);
      const el2 = i32x4.eq(a2, vl);
      const el3 = i32x4.eq(a3, vl);
      const th = <u32>popcnt(i32x4.bitmask(eh0) | (i32x4.bitmask(eh1) << 4) | (i32x4.bitmask(eh2) << 8) | (i32x4.bitmask(eh3) << 12));
      const tl = <u32>popcnt(i32x4.bitmask(el0) | (i32x4.bitmask(el1) << 4) | (i32x4.bitmask(el2) << 8) | (i32x4.bitmask(el3) << 12));
      const hiAll = th <= hiLeft;
      const loAll = tl <= loLeft;
      if ((hiAll || hiLeft == 0) && (loAll || loLeft == 0)) {
        // Equal lanes join "greater" exactly when they all fit: a mask of all ones, else none.
        const jh = hiAll ? i32x4.splat(-1) : i32x4.splat(0);
        const jl = loAll ? i32x4.splat(-1) : i32x4.splat(0);
        v128.store(p, v128.and(v0, v128.andnot(v128.or(i32x4.gt_s(a0, vh), v128.and(eh0, jh)), v128.or(i32x4.gt_s(a0, vl), v128.and(el0, jl)))));
        v128.store(p, v128.and(v1, v128.andnot(v128.or(i32x4.gt_s(a1, vh), v128.and(eh1, jh)), v128.or(i32x4.gt_s(a1, vl), v128.and(el1, jl)))), 16);
        v128.store(p, v128.and(v2, v128.andnot(v128.or(i32x4.gt_s(a2, vh), v128.and(eh2, jh)), v128.or(i32x4.gt_s(a2, vl), v128.and(el2, jl)))), 32);
        v128.store(p, v128.and(v3, v128.andnot(v128.or(i32x4.gt_s(a3, vh), v128.and(eh3, jh)), v128.or(i32x4.gt_s(a3, vl), v128.and(el3, jl)))), 48);
        if (hiAll) hiLeft -= th;
        if (loAll) loLeft -= tl;
        i += 16;
        continue;
      }
    }
    const stop = min(n, i + 16);
    while (i < stop) i = fourOrScalar(x, i, stop, hiT, loT, vh, vl);
  }
  store<u32>(band, hiLeft, 4);
  store<u32>(band, loLeft, 12);
}

/** bandMask with no budget left and no low cut (nothing is above 0x7fffffff): kept where bits(|x|) > hiT. */
function spentHighOnly(x: usize, n: usize, hiT: i32): void {
  spentLoop(x, n, hiT, 0x7fffffff, false);
}

/** bandMask with no budget left: kept where hiT < bits(|x|) <= loT. */
function spentBand(x: usize, n: usize, hiT: i32, loT: i32): void {
  spentLoop(x, n, hiT, loT, true);
}

/** Both (inlined twice, so that the copy with no low cut compares once per lane). */
// @ts-ignore: decorator
@inline
function spentLoop(x: usize, n: usize, hiT: i32, loT: i32, low: bool): void {
  const abs = i32x4.splat(0x7fffffff);
  const vh = i32x4.splat(hiT);
  const vl = i32x4.splat(loT);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (i << 2);
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const a0 = v128.and(v0, abs);
    const a1 = v128.and(v1, abs);
    const k0 = i32x4.gt_s(a0, vh);
    const k1 = i32x4.gt_s(a1, vh);
    v128.store(p, v128.and(v0, low ? v128.andnot(k0, i32x4.gt_s(a0, vl)) : k0));
    v128.store(p, v128.and(v1, low ? v128.andnot(k1, i32x4.gt_s(a1, vl)) : k1), 16);
  }
  for (; i < n; i++) {
    const p = x + (i << 2);
    const a = <i32>(load<u32>(p) & 0x7fffffff);
    if (a <= hiT || a > loT) store<u32>(p, 0);
  }
}

/** Four elements at i by comparisons when none is a tie, else the scalar rule up to i + 4 (or stop); returns the next i. */
function fourOrScalar(x: usize, i: usize, stop: usize, hiT: i32, loT: i32, vh: v128, vl: v128): usize {
  if (i + 4 <= stop) {
    const p = x + (i << 2);
    const v = v128.load(p);
    const a = v128.and(v, i32x4.splat(0x7fffffff));
    if (!v128.any_true(v128.or(i32x4.eq(a, vh), i32x4.eq(a, vl)))) {
      v128.store(p, v128.and(v, v128.andnot(i32x4.gt_s(a, vh), i32x4.gt_s(a, vl))));
      return i + 4;
    }
  }
  const end = min(stop, i + 4);
  for (; i < end; i++) {
    const p = x + (i << 2);
    const a = <i32>(load<u32>(p) & 0x7fffffff);
    let inHi = a > hiT;
    if (a == hiT && hiLeft > 0) {
      inHi = true;
      hiLeft--;
    }
    let inLo = a > loT;
    if (a == loT && loLeft > 0) {
      inLo = true;
      loLeft--;
    }
    if (!inHi || inLo) store<u32>(p, 0);
  }
  return i;
}
