/**
 * Scratch buffers reserved before any is used. The WebAssembly backend hands out views of its
 * linear memory, and those views detach when the memory grows; so a kernel reserves (allocates)
 * every buffer it will need first, and only then takes views, which stay valid for the whole run.
 * Each reservation gets its own slot, so two buffers of one kernel never alias.
 */
import type { Backend } from '../../backend/types.js';

/** Byte slots 0 and 1 belong to the file streams (executor/file-streams.ts). */
const FIRST_BYTES_SLOT = 2;

export type View<T> = () => T;

export class Scratch {
  private nextF32 = 0;
  private nextU32 = 0;
  private nextBytes = FIRST_BYTES_SLOT;

  constructor(readonly backend: Backend) {}

  /** Reserves n float32s now; the returned function gives the view (take it after all reservations). */
  f32(n: number): View<Float32Array> {
    const slot = this.nextF32++;
    this.backend.f32(slot, n);
    return () => this.backend.f32(slot, n);
  }

  u32(n: number): View<Uint32Array> {
    const slot = this.nextU32++;
    this.backend.u32(slot, n);
    return () => this.backend.u32(slot, n);
  }

  bytes(n: number): View<Uint8Array> {
    const slot = this.nextBytes++;
    this.backend.bytes(slot, n);
    return () => this.backend.bytes(slot, n);
  }
}
