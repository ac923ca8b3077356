// Elementwise float32 kernels: one IEEE float32 operation per step, rounded each time, never fused.
// Pointers are byte addresses; n counts elements. Buffers are either identical or disjoint.
//
// NaN payloads. When both operands of an x86 SSE/AVX operation are NaN, the result is the first
// operand's NaN, and which operand comes first is the compiler's choice for + and *: V8 computes
// ts-backend's JavaScript `a + b` and `a * b` so that b's NaN wins (measured in every tier), while
// its WebAssembly compiler may swap operands (TurboFan folding a load into the instruction). So
// for + and * we zero the operand that must lose in lanes where the other is NaN: at most one
// operand is then NaN, and the result is that NaN, whatever the order. `a - b` is never swapped
// and keeps a's NaN in both.

/** a + b, with b's NaN when both are NaN (as ts-backend's `a + b`). */
// @ts-ignore: decorator
@inline
export function addLanes(a: v128, b: v128): v128 {
  return f32x4.add(b, v128.andnot(a, f32x4.ne(b, b)));
}

/** a * b, with b's NaN when both are NaN (as ts-backend's `a * b`). */
// @ts-ignore: decorator
@inline
export function mulLanes(a: v128, b: v128): v128 {
  return f32x4.mul(b, v128.andnot(a, f32x4.ne(b, b)));
}

function add1(a: f32, b: f32): f32 {
  return b + (b != b ? <f32>0 : a);
}

function mul1(a: f32, b: f32): f32 {
  return b * (b != b ? <f32>0 : a);
}

/** dst[i] = a[i] - b[i] */
export function sub(a: usize, b: usize, dst: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const r1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, load<f32>(a + o) - load<f32>(b + o));
  }
}

/** dst[i] = dst[i] + x[i] */
export function add(dst: usize, x: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = addLanes(v128.load(dst + o), v128.load(x + o));
    const r1 = addLanes(v128.load(dst + o, 16), v128.load(x + o, 16));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, add1(load<f32>(dst + o), load<f32>(x + o)));
  }
}

/** dst[i] = c * dst[i] */
export function scale(dst: usize, c: f32, n: usize): void {
  const cv = f32x4.splat(c);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = mulLanes(cv, v128.load(dst + o));
    const r1 = mulLanes(cv, v128.load(dst + o, 16));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, mul1(c, load<f32>(dst + o)));
  }
}

/** dst[i] = dst[i] + (c * x[i]): the product is rounded to float32 before the sum. */
export function axpy(dst: usize, c: f32, x: usize, n: usize): void {
  const cv = f32x4.splat(c);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = addLanes(v128.load(dst + o), mulLanes(cv, v128.load(x + o)));
    const r1 = addLanes(v128.load(dst + o, 16), mulLanes(cv, v128.load(x + o, 16)));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, add1(load<f32>(dst + o), mul1(c, load<f32>(x + o))));
  }
}

/** dst[i] = c * x[i] */
export function scaleTo(dst: usize, c: f32, x: usize, n: usize): void {
  const cv = f32x4.splat(c);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = mulLanes(cv, v128.load(x + o));
    const r1 = mulLanes(cv, v128.load(x + o, 16));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, mul1(c, load<f32>(x + o)));
  }
}

/** dst[i] = dst[i] / x[i]. Division is never swapped: a NaN dividend's payload wins, as in `a / b`. */
export function div(dst: usize, x: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    const o = i << 2;
    const r0 = f32x4.div(v128.load(dst + o), v128.load(x + o));
    const r1 = f32x4.div(v128.load(dst + o, 16), v128.load(x + o, 16));
    v128.store(dst + o, r0);
    v128.store(dst + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dst + o, load<f32>(dst + o) / load<f32>(x + o));
  }
}
