/**
 * Matrix products as WebAssembly SIMD kernels on worker threads: one instance per worker over one
 * shared memory; the host copies x, W and the bias in once per product, each worker computes a
 * contiguous share of the output features (rows of W), and the host copies y out. Small products
 * stay on the TypeScript path, where posting messages would cost more than the work.
 *
 * Why this: measured here (test/bench/probes.ts, [128 × 1024]·[3072 × 1024]ᵀ, 2 cores), the naive
 * loop gives 0.4–1.6 GFLOP/s, the blocked TypeScript loop 1.2–4, this kernel 9–40 on one worker
 * and 11–74 on two (the ranges are runs on a loaded and a quieter machine): 10–25× the TypeScript
 * path. An inference runtime (onnxruntime-node) would need its native binary downloaded, which is
 * not allowed here, and a model graph per architecture; the products are all the probe needs.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WASM_MAX_PAGES, WASM_PAGE, wasmApi, wasmUnavailableReason, type WasmMemory, type WasmModule } from '../../backend/wasm/wasm-api.js';
import { linearTs, type LinearArgs, type MatmulBackend } from '../math/matmul.js';
import { findMatmulWasm, matmulWasmCandidates } from './matmul-wasm-file.js';
import { MATMUL_WORKER_SOURCE } from './matmul-worker-source.js';

/** Products below this many multiply-adds run in TypeScript on the calling thread. */
const SMALL_PRODUCT = 1 << 18;
/** Host data starts here (past the module's static data). */
const DATA_START = 1 << 16;

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

export interface WasmMatmulOptions {
  /** Worker threads (default: available cores). */
  threads?: number;
  /** Path of matmul.wasm (default: dist/native/matmul.wasm). */
  file?: string;
  /** Minimum size for the WebAssembly path, in multiply-adds (tests lower it to 0). */
  smallProduct?: number;
}

export class WasmMatmul implements MatmulBackend {
  readonly name = 'wasm';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  /** Set when a worker died: every product after that fails with it instead of waiting forever. */
  private broken: Error | undefined;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly workers: Worker[],
    private readonly smallProduct: number,
  ) {
    for (const w of workers) {
      w.on('message', (m: { id: number; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(`matmul worker: ${m.error}`));
        else p.resolve();
      });
      const fail = (e: Error): void => {
        this.broken ??= e;
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!this.closed) fail(new Error(`a matmul worker stopped (exit code ${code})`));
      });
    }
  }

  static async create(o: WasmMatmulOptions = {}): Promise<WasmMatmul> {
    const why = wasmUnavailableReason();
    if (why) throw new Error(why);
    const file = o.file ?? findMatmulWasm();
    if (!file) throw new Error(`the matmul kernel was not found (looked for ${matmulWasmCandidates().join(' and ')}); run npm run build:native`);
    const api = wasmApi()!;
    const module: WasmModule = new api.Module(readFileSync(file));
    const memory = new api.Memory({ initial: 2, maximum: WASM_MAX_PAGES, shared: true });
    const threads = Math.max(1, o.threads ?? availableParallelism());
    const workers = Array.from({ length: threads }, () => new Worker(MATMUL_WORKER_SOURCE, { eval: true, workerData: { module, memory } }));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('online', () => resolve());
      w.once('error', reject);
    })));
    return new WasmMatmul(memory, workers, o.smallProduct ?? SMALL_PRODUCT);
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / WASM_PAGE);
    if (have / WASM_PAGE + pages > WASM_MAX_PAGES) throw new RangeError(`a matrix product needs ${bytes} bytes, more than WebAssembly's 4 GiB`);
    this.memory.grow(pages);
  }

  /** Products share one memory region: callers (several probes at once) queue here. */
  private queue: Promise<void> = Promise.resolve();

  async linear(a: LinearArgs): Promise<void> {
    if (this.closed) throw new Error('the WebAssembly matmul pool is closed');
    if (a.rows * a.outDim * a.inDim < this.smallProduct) {
      linearTs(a);
      return;
    }
    const run = this.queue.then(() => this.product(a));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async product(a: LinearArgs): Promise<void> {
    if (this.broken) throw this.broken;
    const { x, rows, w, outDim, inDim, bias, y } = a;
    const align = (n: number) => Math.ceil(n / 16) * 16;
    const xPtr = DATA_START;
    const wPtr = xPtr + align(rows * inDim * 4);
    const bPtr = wPtr + align(outDim * inDim * 4);
    const yPtr = bPtr + align(bias ? outDim * 4 : 0);
    const end = yPtr + rows * outDim * 4;
    this.ensure(end);
    const heap = new Float32Array(this.memory.buffer);
    heap.set(x.subarray(0, rows * inDim), xPtr / 4);
    heap.set(w.subarray(0, outDim * inDim), wPtr / 4);
    if (bias) heap.set(bias.subarray(0, outDim), bPtr / 4);
    const n = this.workers.length;
    const share = Math.ceil(outDim / n / 4) * 4;
    const jobs: Promise<void>[] = [];
    for (let k = 0; k < n; k++) {
      const o0 = k * share;
      const o1 = Math.min(outDim, o0 + share);
      if (o0 >= o1) break;
      const id = this.nextId++;
      jobs.push(new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject })));
      this.workers[k].postMessage({ id, x: xPtr, rows, w: wPtr, outDim, inDim, bias: bias ? bPtr : 0, y: yPtr, o0, o1 });
    }
    await Promise.all(jobs);
    y.set(new Float32Array(this.memory.buffer, yPtr, rows * outDim));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The fastest matmul available: WebAssembly SIMD workers when the kernel is built and the runtime
 * supports it, else the TypeScript loops (with the reason).
 */
export async function bestMatmul(o: WasmMatmulOptions = {}): Promise<{ matmul: MatmulBackend; fallbackReason?: string }> {
  try {
    return { matmul: await WasmMatmul.create(o) };
  } catch (e) {
    const { TS_MATMUL } = await import('../math/matmul.js');
    return { matmul: TS_MATMUL, fallbackReason: (e as Error).message };
  }
}
