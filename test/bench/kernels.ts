/**
 * Micro-benchmark of the Backend primitives: TypeScript reference vs WebAssembly SIMD, one thread,
 * on ~64 MiB inputs. Figures are GB/s of *input* bytes (what the primitive reads), best of a few
 * runs, timed in CPU time. `runKernelBench()` is called by the main bench; run this file directly
 * (`node dist/test/bench/kernels.js`, after `npm run build`) to print the table alone.
 */
import { pathToFileURL } from 'node:url';
import { TsBackend } from '../../electron/engine/backend/ts-backend.js';
import type { Backend } from '../../electron/engine/backend/types.js';
import { WasmBackend } from '../../electron/engine/backend/wasm-backend.js';

export interface KernelBenchRow {
  primitive: string;
  /** Input bytes per run. */
  bytes: number;
  tsGBps: number;
  wasmGBps: number;
}

export interface KernelBenchOptions {
  /** Elements per input (default 16 Mi: 64 MiB of float32). */
  elements?: number;
  /** Timed runs per primitive and backend; the best is kept (default 5). */
  runs?: number;
  /** Path of kernels.wasm (default: the built one). */
  wasmFile?: string;
  /** Only primitives whose name contains this. */
  filter?: string;
  /** Where the table goes, a line at a time (default console.log); null for silence. */
  log?: ((line: string) => void) | null;
}

interface Case {
  primitive: string;
  /** Input bytes per element. */
  bytesPerElement: number;
  /** Prepares buffers on a backend and returns the timed operation. */
  setup(be: Backend, n: number): () => void;
}

/** Deterministic "weight-like" values (|x| about 1e-3, both signs), so no path sees denormals or NaN. */
function fill(x: Float32Array, n: number, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = ((s >>> 8) / 2 ** 24 - 0.5) * 4e-3;
  }
}

function inputs(be: Backend, n: number, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const x = be.f32(10 + i, n);
    fill(x, n, i + 1);
    return x;
  });
}

const CASES: Case[] = [
  {
    primitive: 'decode bf16→f32',
    bytesPerElement: 2,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 2 * n);
      be.encode('BF16', x, raw, n);
      const dst = be.f32(0, n);
      return () => be.decode('BF16', raw, dst, n);
    },
  },
  {
    primitive: 'decode f16→f32',
    bytesPerElement: 2,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 2 * n);
      be.encode('F16', x, raw, n);
      const dst = be.f32(0, n);
      return () => be.decode('F16', raw, dst, n);
    },
  },
  {
    primitive: 'decode f32 (copy)',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const dst = be.f32(0, n);
      const raw = new Uint8Array(x.buffer, x.byteOffset, 4 * n);
      return () => be.decode('F32', raw, dst, n);
    },
  },
  {
    primitive: 'encode f32→bf16',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 2 * n);
      const tally = { nan: 0, inf: 0 }; // the sink always counts the NaN and ±Inf written
      return () => be.encode('BF16', x, raw, n, tally);
    },
  },
  {
    primitive: 'encode f32→f16',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 2 * n);
      const tally = { nan: 0, inf: 0 };
      return () => be.encode('F16', x, raw, n, tally);
    },
  },
  {
    primitive: 'encode f32→f32 (copy)',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 4 * n);
      const tally = { nan: 0, inf: 0 };
      return () => be.encode('F32', x, raw, n, tally);
    },
  },
  {
    primitive: 'encode f32→f64',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 8 * n);
      const tally = { nan: 0, inf: 0 };
      return () => be.encode('F64', x, raw, n, tally);
    },
  },
  {
    // A float tensor copied unchanged is scanned for NaN and ±Inf (the copy path's buffers).
    primitive: 'countNonFinite bf16',
    bytesPerElement: 2,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const raw = be.bytes(0, 2 * n);
      be.encode('BF16', x, raw, n);
      const tally = { nan: 0, inf: 0 };
      return () => be.countNonFinite('BF16', raw, n, tally);
    },
  },
  {
    primitive: 'sub',
    bytesPerElement: 8,
    setup(be, n) {
      const [a, b] = inputs(be, n, 2);
      const dst = be.f32(0, n);
      return () => be.sub(a, b, dst, n);
    },
  },
  {
    primitive: 'add',
    bytesPerElement: 8,
    setup(be, n) {
      const [dst, x] = inputs(be, n, 2);
      return () => be.add(dst, x, n);
    },
  },
  {
    primitive: 'scale',
    bytesPerElement: 4,
    setup(be, n) {
      const [dst] = inputs(be, n, 1);
      // c = 1 keeps the values unchanged however many runs.
      return () => be.scale(dst, 1, n);
    },
  },
  {
    primitive: 'scaleTo',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const dst = be.f32(0, n);
      return () => be.scaleTo(dst, 0.3, x, n);
    },
  },
  {
    primitive: 'axpy',
    bytesPerElement: 8,
    setup(be, n) {
      const [dst, x] = inputs(be, n, 2);
      return () => be.axpy(dst, 1e-9, x, n);
    },
  },
  {
    primitive: 'linear, 2 inputs (scaleTo + axpy)',
    bytesPerElement: 8,
    setup(be, n) {
      const [x0, x1] = inputs(be, n, 2);
      const acc = be.f32(0, n);
      return () => {
        be.scaleTo(acc, 0.25, x0, n);
        be.axpy(acc, 0.75, x1, n);
      };
    },
  },
  {
    primitive: 'dotBlocks',
    bytesPerElement: 8,
    setup(be, n) {
      const [x, y] = inputs(be, n, 2);
      return () => void be.dotBlocks(x, y, n, 0);
    },
  },
  {
    primitive: 'absSumBlocks',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      return () => void be.absSumBlocks(x, n, 0);
    },
  },
  {
    primitive: 'absHistHigh',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const hist = be.u32(0, 65536);
      return () => be.absHistHigh(x, n, hist);
    },
  },
  {
    primitive: 'absHistLow',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const hist = be.u32(0, 65536);
      const high = (new Uint32Array(x.buffer, x.byteOffset, 1)[0] & 0x7fffffff) >>> 16;
      return () => be.absHistLow(x, n, high, hist);
    },
  },
  {
    primitive: 'TIES trim: absHistHigh + absHistLow',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const hist = be.u32(0, 65536);
      const high = (new Uint32Array(x.buffer, x.byteOffset, 1)[0] & 0x7fffffff) >>> 16;
      return () => {
        hist.fill(0);
        be.absHistHigh(x, n, hist);
        hist.fill(0);
        be.absHistLow(x, n, high, hist);
      };
    },
  },
  {
    primitive: 'TIES predicted sweep: absWindowCount',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      const lows = be.u32(0, 65536);
      const high = (new Uint32Array(x.buffer, x.byteOffset, 1)[0] & 0x7fffffff) >>> 16;
      return () => be.absWindowCount(x, n, high, 1, lows);
    },
  },
  {
    primitive: 'randomMask (DARE, p = 0.3)',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      return () => be.randomMask(x, n, 0, 0x9e3779b9, Math.floor(0.3 * 2 ** 32));
    },
  },
  {
    // The DARE rescale (1/d or l1's factor) in the same pass: the two steps it replaces are randomMask + scale.
    primitive: 'randomMaskScale (DARE, p = 0.3, ×1/0.7)',
    bytesPerElement: 4,
    setup(be, n) {
      const [x] = inputs(be, n, 1);
      return () => be.randomMaskScale(x, n, 0, 0x9e3779b9, Math.floor(0.3 * 2 ** 32), 1 / 0.7);
    },
  },
  {
    primitive: 'signElect, 3 inputs, sum',
    bytesPerElement: 12,
    setup(be, n) {
      const wd = inputs(be, n, 3);
      const mixed = be.f32(0, n);
      const div = be.f32(1, n);
      return () => be.signElect(wd, [1, 0.5, 0.25], n, 'sum', mixed, div);
    },
  },
  {
    primitive: 'signElect, 3 inputs, count',
    bytesPerElement: 12,
    setup(be, n) {
      const wd = inputs(be, n, 3);
      const mixed = be.f32(0, n);
      const div = be.f32(1, n);
      return () => be.signElect(wd, [1, 0.5, 0.25], n, 'count', mixed, div);
    },
  },
  {
    primitive: 'consensusMix (TIES combine), 2 inputs',
    bytesPerElement: 12,
    setup(be, n) {
      const deltas = inputs(be, n, 2);
      const b = be.f32(2, n);
      b.fill(1);
      const mixed = be.f32(0, n);
      const div = be.f32(1, n);
      // Weights 1: the reference scales δ in place, which then stays the same from run to run.
      return () => be.consensusMix(deltas, [1, 1], n, 'sum', true, 1, b, mixed, div);
    },
  },
];

/**
 * Best of `runs` timings in seconds of CPU time (user + system) of this process: the machines the
 * team benchmarks on are shared, and CPU time does not count the time another process held the core.
 */
function bestSeconds(op: () => void, runs: number): number {
  op(); // warm-up: JIT tiers, first touch of the pages
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.cpuUsage();
    op();
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / 1e6);
  }
  return best;
}

export function runKernelBench(options: KernelBenchOptions = {}): KernelBenchRow[] {
  const n = options.elements ?? 16 * 1024 * 1024;
  const runs = options.runs ?? 5;
  const log = options.log === undefined ? (line: string) => console.log(line) : options.log;
  const rows: KernelBenchRow[] = [];
  log?.(HEADER);
  for (const c of CASES) {
    if (options.filter && !c.primitive.includes(options.filter)) continue;
    // Fresh backends per case so one case's buffers never slow another's.
    const ts = new TsBackend();
    const wasm = new WasmBackend({ file: options.wasmFile });
    const bytes = c.bytesPerElement * n;
    const tsGBps = bytes / bestSeconds(c.setup(ts, n), runs) / 1e9;
    const wasmGBps = bytes / bestSeconds(c.setup(wasm, n), runs) / 1e9;
    rows.push({ primitive: c.primitive, bytes, tsGBps, wasmGBps });
    log?.(formatRow(rows[rows.length - 1]));
  }
  return rows;
}

export function formatRow(r: KernelBenchRow): string {
  return `${r.primitive.padEnd(38)} ${r.tsGBps.toFixed(2).padStart(7)} ${r.wasmGBps.toFixed(2).padStart(7)} ${(r.wasmGBps / r.tsGBps).toFixed(1).padStart(6)}×`;
}

export const HEADER = `${'primitive (GB/s of input, 1 thread)'.padEnd(38)} ${'ts'.padStart(7)} ${'wasm'.padStart(7)} ${'speedup'.padStart(7)}`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runKernelBench({ filter: process.argv[2] });
}
