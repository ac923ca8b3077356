// Matrix product of the probe's forward pass (AssemblyScript, built by native/build.mjs into
// dist/native/matmul.wasm, separate from the merge kernels). Memory is imported and shared by all
// worker instances; the host owns every byte at or above heapBase() and passes byte addresses;
// this code never allocates.
//
// y[r, o] = Σ_i x[r, i] · w[o, i] (+ bias[o]) for outputs o in [o0, o1): x is [rows, inDim],
// w is [outDim, inDim] (nn.Linear layout), y is [rows, outDim], all float32 row-major.
// Blocking: OB rows of w (16 × inDim floats, a few hundred KiB at most) stay in cache while every
// pair of x rows is multiplied against them, 2 × 4 outputs at a time in eight f32x4 accumulators
// (6 loads for 8 multiply-adds). Partial sums are float32, in 4 lanes over i ≡ 0..3 (mod 4).

/** First byte the host may use (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}

const OB: i32 = 16;

function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

function biasAt(bias: usize, o: i32): f32 {
  return bias == 0 ? <f32>0 : load<f32>(bias + (<usize>o << 2));
}

export function linear(x: usize, rows: i32, w: usize, outDim: i32, inDim: i32, bias: usize, y: usize, o0: i32, o1: i32): void {
  const rowBytes = <usize>inDim << 2;
  const vecEnd = inDim & ~3;
  for (let ob = o0; ob < o1; ob += OB) {
    const oe = min(ob + OB, o1);
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      const xa = x + <usize>r * rowBytes;
      const xb = xa + rowBytes;
      const ya = y + ((<usize>r * <usize>outDim) << 2);
      const yb = ya + (<usize>outDim << 2);
      let o = ob;
      for (; o + 4 <= oe; o += 4) {
        const w0 = w + <usize>o * rowBytes;
        const w1 = w0 + rowBytes;
        const w2 = w1 + rowBytes;
        const w3 = w2 + rowBytes;
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
        for (let i = 0; i < vecEnd; i += 4) {
          const off = <usize>i << 2;
          const p = v128.load(xa + off);
          const q = v128.load(xb + off);
          const c0 = v128.load(w0 + off);
          const c1 = v128.load(w1 + off);
          const c2 = v128.load(w2 + off);
          const c3 = v128.load(w3 + off);
          a0 = f32x4.add(a0, f32x4.mul(p, c0));
          a1 = f32x4.add(a1, f32x4.mul(p, c1));
          a2 = f32x4.add(a2, f32x4.mul(p, c2));
          a3 = f32x4.add(a3, f32x4.mul(p, c3));
          b0 = f32x4.add(b0, f32x4.mul(q, c0));
          b1 = f32x4.add(b1, f32x4.mul(q, c1));
          b2 = f32x4.add(b2, f32x4.mul(q, c2));
          b3 = f32x4.add(b3, f32x4.mul(q, c3));
        }
        let sa0 = hsum(a0), sa1 = hsum(a1), sa2 = hsum(a2), sa3 = hsum(a3);
        let sb0 = hsum(b0), sb1 = hsum(b1), sb2 = hsum(b2), sb3 = hsum(b3);
        for (let i = vecEnd; i < inDim; i++) {
          const off = <usize>i << 2;
          const p = load<f32>(xa + off);
          const q = load<f32>(xb + off);
          const c0 = load<f32>(w0 + off);
          const c1 = load<f32>(w1 + off);
          const c2 = load<f32>(w2 + off);
          const c3 = load<f32>(w3 + off);
          sa0 += p * c0; sa1 += p * c1; sa2 += p * c2; sa3 += p * c3;
          sb0 += q * c0; sb1 += q * c1; sb2 += q * c2; sb3 += q * c3;
        }
        const yo = <usize>o << 2;
        store<f32>(ya + yo, sa0 + biasAt(bias, o));
        store<f32>(ya + yo, sa1 + biasAt(bias, o + 1), 4);
        store<f32>(ya + yo, sa2 + biasAt(bias, o + 2), 8);
        store<f32>(ya + yo, sa3 + biasAt(bias, o + 3), 12);
        store<f32>(yb + yo, sb0 + biasAt(bias, o));
        store<f32>(yb + yo, sb1 + biasAt(bias, o + 1), 4);
        store<f32>(yb + yo, sb2 + biasAt(bias, o + 2), 8);
        store<f32>(yb + yo, sb3 + biasAt(bias, o + 3), 12);
      }
      for (; o < oe; o++) {
        const w0 = w + <usize>o * rowBytes;
        store<f32>(ya + (<usize>o << 2), dot(xa, w0, inDim) + biasAt(bias, o));
        store<f32>(yb + (<usize>o << 2), dot(xb, w0, inDim) + biasAt(bias, o));
      }
    }
    for (; r < rows; r++) {
      const xa = x + <usize>r * rowBytes;
      const ya = y + ((<usize>r * <usize>outDim) << 2);
      for (let o = ob; o < oe; o++) store<f32>(ya + (<usize>o << 2), dot(xa, w + <usize>o * rowBytes, inDim) + biasAt(bias, o));
    }
  }
}

function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  const vecEnd = n & ~3;
  for (let i = 0; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + off), v128.load(b + off)));
  }
  let s = hsum(acc);
  for (let i = vecEnd; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}
