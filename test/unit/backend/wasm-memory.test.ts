import { beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../../../electron/engine/backend/wasm-backend.js';
import { createBackend } from '../../../electron/engine/backend/select-backend.js';
import { ensureKernelsBuilt, KERNELS_WASM } from './kernels-built.js';

beforeAll(() => ensureKernelsBuilt());

describe('WasmBackend scratch memory', () => {
  it('keeps earlier views valid when a later request grows the memory', () => {
    const be = new WasmBackend();
    const a = be.f32(0, 1000);
    const b = be.bytes(0, 1000);
    a.fill(1.5);
    b.fill(7);
    const before = be.memoryBytes;
    const big = be.f32(1, 64 * 1024 * 1024); // 256 MiB: must grow the memory
    expect(be.memoryBytes).toBeGreaterThan(before);
    expect(a.length).toBeGreaterThanOrEqual(1000);
    expect([a[0], a[999], b[0], b[999]]).toEqual([1.5, 1.5, 7, 7]);
    big[big.length - 1] = 3;
    be.scale(a, 2, 1000); // old views still work as kernel arguments
    expect(a[999]).toBe(3);
  });

  it('returns the same view for requests that fit, and distinct memory for distinct slots', () => {
    const be = new WasmBackend();
    const a = be.f32(0, 100);
    expect(be.f32(0, 50)).toBe(a);
    const x = be.f32(1, 100);
    const h = be.u32(0, 100);
    const r = be.bytes(0, 400);
    const ranges = [a, x, h, r].map((v) => [v.byteOffset, v.byteOffset + v.byteLength]);
    ranges.sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i - 1][1]).toBeLessThanOrEqual(ranges[i][0]);
    expect(r.byteOffset % 8).toBe(0);
  });

  it('reserve grows the memory once so later requests up to that size do not', () => {
    const be = new WasmBackend();
    be.reserve(128 * 1024 * 1024);
    const size = be.memoryBytes;
    expect(size).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    be.f32(0, 8 * 1024 * 1024);
    be.f32(1, 8 * 1024 * 1024);
    be.bytes(0, 16 * 1024 * 1024);
    expect(be.memoryBytes).toBe(size);
  });

  it('rejects arrays that are not views of its own memory, and counts larger than the view', () => {
    const be = new WasmBackend();
    const other = new WasmBackend();
    const x = be.f32(0, 16);
    expect(() => be.add(x, new Float32Array(16), 16)).toThrow(/'x' is not a view of this backend's memory/);
    expect(() => be.add(x, other.f32(0, 16), 16)).toThrow(/not a view of this backend's memory/);
    expect(() => be.scale(x, 2, x.length + 1)).toThrow(/holds \d+ bytes, the call needs/);
    expect(() => be.decode('BF16', new Uint8Array(32), x, 16)).toThrow(/'src' is not a view/);
    expect(() => be.scale(x, 2, -1)).toThrow(/bad element count/);
  });

  it('accepts an output equal to an input but not a partial overlap', () => {
    const be = new WasmBackend();
    const x = be.f32(0, 64);
    x.fill(1);
    be.add(x, x, 64);
    expect(x[63]).toBe(2);
    expect(() => be.add(x.subarray(1), x, 32)).toThrow(/overlap/);
  });

  it('works on subarray views (kernels pass dst.subarray(done))', () => {
    const be = new WasmBackend();
    const x = be.f32(0, 20);
    x.fill(1);
    be.scale(x.subarray(5), 3, 10);
    expect(Array.from(x.subarray(0, 20))).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1]);
  });
});

describe('createBackend', () => {
  it("gives the WebAssembly backend for 'auto' and 'wasm' when the kernels load", () => {
    const auto = createBackend('auto');
    expect(auto.backend.name).toBe('wasm');
    expect(auto.reason).toContain('kernels.wasm');
    expect(createBackend('wasm').backend.name).toBe('wasm');
  });

  it("gives the TypeScript backend for 'ts'", () => {
    expect(createBackend('ts').backend.name).toBe('ts');
  });

  it("falls back to TypeScript with the reason when the kernels are missing, unless 'wasm' insists", () => {
    const missing = `${KERNELS_WASM}.missing`;
    const choice = createBackend('auto', { file: missing });
    expect(choice.backend.name).toBe('ts');
    expect(choice.reason).toMatch(/TypeScript fallback: .*kernels\.wasm\.missing/);
    expect(() => createBackend('wasm', { file: missing })).toThrow(/WebAssembly backend is unavailable/);
  });
});
