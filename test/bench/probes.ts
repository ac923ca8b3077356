/**
 * The probe benchmark (`npm run bench -- probes`): matrix-product GFLOP/s of the naive loop, the
 * blocked TypeScript loop and the WebAssembly SIMD workers, measured in the same run; probe
 * throughput in tokens per second on a generated Llama-shaped model of about 100M parameters
 * (bf16, byte vocabulary); and the weight I/O of a K = 11 barrier sweep relative to K = 1.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../../electron/engine/io/checkpoint.js';
import { layoutSafetensorsFile, type TensorSpec } from '../../electron/engine/io/safetensors-layout.js';
import { lambdaPoints } from '../../electron/engine/probe/barrier/barrier-height.js';
import { interpolationPlans, MODEL_A, MODEL_B, planAt } from '../../electron/engine/probe/barrier/interpolation-plan.js';
import { outputHeaders } from '../../electron/engine/probe/barrier/output-headers.js';
import { variantLosses } from '../../electron/engine/probe/barrier/variant-losses.js';
import { linearNaive, linearTs, TS_MATMUL, type LinearArgs, type MatmulBackend } from '../../electron/engine/probe/math/matmul.js';
import { probeLoss } from '../../electron/engine/probe/probe-loss.js';
import { defaultMergeBackend } from '../../electron/engine/probe/stream/merge-backend.js';
import { bundledProbeTextPaths } from '../../electron/engine/probe/text/probe-text.js';
import { WasmMatmul } from '../../electron/engine/probe/wasm/wasm-matmul.js';

/** About 97M parameters: 8 layers of hidden 1024 (16 heads, 4 KV heads), MLP 3072, byte vocabulary. */
export const SHAPE = { layers: 8, hidden: 1024, heads: 16, kvHeads: 4, intermediate: 3072, vocab: 256 };

function tensors(): TensorSpec[] {
  const { layers, hidden: H, heads, kvHeads, intermediate: I, vocab: V } = SHAPE;
  const kv = (H / heads) * kvHeads;
  const t: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [V, H] }];
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}.`;
    t.push(
      { name: `${p}input_layernorm.weight`, dtype: 'BF16', shape: [H] },
      { name: `${p}self_attn.q_proj.weight`, dtype: 'BF16', shape: [H, H] },
      { name: `${p}self_attn.k_proj.weight`, dtype: 'BF16', shape: [kv, H] },
      { name: `${p}self_attn.v_proj.weight`, dtype: 'BF16', shape: [kv, H] },
      { name: `${p}self_attn.o_proj.weight`, dtype: 'BF16', shape: [H, H] },
      { name: `${p}post_attention_layernorm.weight`, dtype: 'BF16', shape: [H] },
      { name: `${p}mlp.gate_proj.weight`, dtype: 'BF16', shape: [I, H] },
      { name: `${p}mlp.up_proj.weight`, dtype: 'BF16', shape: [I, H] },
      { name: `${p}mlp.down_proj.weight`, dtype: 'BF16', shape: [H, I] },
    );
  }
  t.push({ name: 'model.norm.weight', dtype: 'BF16', shape: [H] }, { name: 'lm_head.weight', dtype: 'BF16', shape: [V, H] });
  return t;
}

/** Writes a model with xorshift values: norms 1 ± small, matrices ~ ±0.02. Returns its parameter count. */
export function writeModel(dir: string, seed: number): number {
  mkdirSync(dir, { recursive: true });
  const specs = tensors();
  const layout = layoutSafetensorsFile(specs);
  const fd = openSync(join(dir, 'model.safetensors'), 'w');
  let x = (seed * 2654435761) >>> 0 || 1;
  let params = 0;
  try {
    writeSync(fd, layout.header, 0, layout.header.length, 0);
    specs.forEach((s, i) => {
      const n = s.shape.reduce((a, b) => a * b, 1);
      params += n;
      const buf = new Uint16Array(n);
      const f = new Float32Array(1);
      const u = new Uint32Array(f.buffer);
      const norm = s.name.endsWith('norm.weight');
      for (let k = 0; k < n; k++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const r = ((x >>> 0) / 4294967296 - 0.5) * 2;
        f[0] = norm ? 1 + 0.1 * r : 0.035 * r;
        buf[k] = u[0] >>> 16;
      }
      writeSync(fd, new Uint8Array(buf.buffer), 0, n * 2, layout.tensors[i].offset);
    });
  } finally {
    closeSync(fd);
  }
  const { layers, hidden, heads, kvHeads, intermediate, vocab } = SHAPE;
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: hidden,
      intermediate_size: intermediate,
      num_hidden_layers: layers,
      num_attention_heads: heads,
      num_key_value_heads: kvHeads,
      vocab_size: vocab,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      torch_dtype: 'bfloat16',
      tie_word_embeddings: false,
    }),
  );
  return params;
}

async function gflops(name: string, mm: (a: LinearArgs) => unknown, reps: number): Promise<number> {
  const R = 128;
  const O = SHAPE.intermediate;
  const I = SHAPE.hidden;
  const x = Float32Array.from({ length: R * I }, (_, i) => Math.sin(i));
  const w = Float32Array.from({ length: O * I }, (_, i) => Math.cos(i));
  const y = new Float32Array(R * O);
  await mm({ x, rows: R, w, outDim: O, inDim: I, y });
  const start = performance.now();
  for (let i = 0; i < reps; i++) await mm({ x, rows: R, w, outDim: O, inDim: I, y });
  const s = (performance.now() - start) / 1000 / reps;
  const g = (2 * R * O * I) / s / 1e9;
  console.log(`  ${name.padEnd(34)} ${g.toFixed(2).padStart(7)} GFLOP/s`);
  return g;
}

async function tokensPerSecond(dir: string, mm: MatmulBackend, text: string, label: string): Promise<void> {
  const start = performance.now();
  const r = await probeLoss(dir, [{ name: 'prose', text }], { matmul: mm, window: 128, stride: 128 });
  const s = (performance.now() - start) / 1000;
  const forwarded = Buffer.byteLength(text, 'utf8');
  console.log(`  ${label.padEnd(34)} ${(forwarded / s).toFixed(1).padStart(7)} tokens/s (${forwarded} tokens in ${s.toFixed(2)} s, loss ${r.loss.toFixed(4)})`);
}

export async function runProbeBench(): Promise<void> {
  console.log('\nprobes');
  const threads = (await import('node:os')).availableParallelism();
  let wasm: WasmMatmul | undefined;
  try {
    wasm = await WasmMatmul.create({ threads });
  } catch (e) {
    console.log(`  WebAssembly matmul unavailable: ${(e as Error).message}`);
  }
  console.log(`  matrix product [128 × ${SHAPE.hidden}] · [${SHAPE.intermediate} × ${SHAPE.hidden}]ᵀ:`);
  const naive = await gflops('naive loop, 1 thread (baseline)', linearNaive, 1);
  await gflops('blocked TypeScript, 1 thread', linearTs, 3);
  if (wasm) {
    const one = await WasmMatmul.create({ threads: 1 });
    await gflops('WebAssembly SIMD, 1 worker', (a) => one.linear(a), 10);
    await one.close();
    const g = await gflops(`WebAssembly SIMD, ${threads} workers`, (a) => wasm!.linear(a), 10);
    console.log(`  speed-up over the naive baseline: ${(g / naive).toFixed(1)}×`);
  }

  const root = join(tmpdir(), `crucible-probe-bench-${process.pid}`);
  try {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const params = writeModel(a, 1);
    writeModel(b, 2);
    console.log(`  model: Llama-shaped, ${(params / 1e6).toFixed(1)}M parameters, bf16, ${SHAPE.layers} layers, hidden ${SHAPE.hidden}`);
    const prose = readFileSync(bundledProbeTextPaths().find((p) => p.endsWith('prose.txt'))!, 'utf8');
    await tokensPerSecond(a, TS_MATMUL, prose.slice(0, 128), 'probe loss, TypeScript matmul');
    if (wasm) await tokensPerSecond(a, wasm, prose.slice(0, 1024), `probe loss, WebAssembly (${threads} workers)`);

    const A = await openCheckpoint(a);
    const B = await openCheckpoint(b);
    const checkpoints = new Map([
      [MODEL_A, A],
      [MODEL_B, B],
    ]);
    const templates = new Map(interpolationPlans(A, B).map((p) => [p.name, p]));
    const headers = outputHeaders([...templates.values()], checkpoints, MODEL_A);
    const io: Record<number, number> = {};
    const mergeBackend = defaultMergeBackend();
    console.log(`  merge kernels: ${mergeBackend.name}`);
    for (const K of [1, 11]) {
      const lambdas = K === 1 ? [0.5] : lambdaPoints(K);
      const start = performance.now();
      const r = await variantLosses(
        { variants: K, plan: (j, name) => planAt(templates.get(name)!, lambdas[j]), checkpoints, headers, tokenizerFolder: a, seed: 0 },
        [{ name: 'prose', text: prose.slice(0, 32) }],
        { matmul: wasm ?? TS_MATMUL, window: 32, stride: 32, mergeBackend },
      );
      io[K] = r.io.bytesRead;
      console.log(`  barrier sweep K = ${String(K).padEnd(2)} weight I/O ${(r.io.bytesRead / 1e6).toFixed(1)} MB in ${((performance.now() - start) / 1000).toFixed(2)} s`);
    }
    console.log(`  I/O of K = 11 relative to K = 1: ${(io[11] / io[1]).toFixed(3)}×`);
  } finally {
    rmSync(root, { recursive: true, force: true });
    await wasm?.close();
  }
}
