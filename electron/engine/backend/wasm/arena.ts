/**
 * First-fit allocator over a byte range of WebAssembly linear memory (hand-written: the backend
 * needs a handful of long-lived, 64-byte-aligned regions whose addresses never move, which no npm
 * allocator offers over a foreign memory). Freed regions are coalesced with their neighbours and
 * reused; when nothing fits, the top of the arena rises and `ensureEnd` is asked to make the
 * memory at least that long.
 */

export const ARENA_ALIGN = 64;

export interface Region {
  /** Byte address, a multiple of ARENA_ALIGN. */
  readonly ptr: number;
  /** Usable bytes, a multiple of ARENA_ALIGN. */
  readonly bytes: number;
}

export function alignUp(n: number, to: number = ARENA_ALIGN): number {
  return Math.ceil(n / to) * to;
}

export class Arena {
  /** First byte above every region ever handed out and not given back. */
  private topPtr: number;
  /** Free regions below top, sorted by address, never adjacent to each other nor to top. */
  private readonly free: Region[] = [];

  constructor(
    /** First usable byte. */
    readonly base: number,
    /** One past the last usable byte. */
    readonly limit: number,
    /** Called with the end address a new allocation needs; throws when it cannot be provided. */
    private readonly ensureEnd: (end: number) => void,
  ) {
    this.topPtr = alignUp(base);
  }

  get top(): number {
    return this.topPtr;
  }

  /** Bytes currently held by free regions below top. */
  get freeBytes(): number {
    return this.free.reduce((s, r) => s + r.bytes, 0);
  }

  alloc(bytes: number): Region {
    const size = alignUp(Math.max(bytes, 1));
    for (let i = 0; i < this.free.length; i++) {
      const r = this.free[i];
      if (r.bytes < size) continue;
      if (r.bytes === size) this.free.splice(i, 1);
      else this.free[i] = { ptr: r.ptr + size, bytes: r.bytes - size };
      return { ptr: r.ptr, bytes: size };
    }
    const start = this.topPtr;
    const end = start + size;
    if (end > this.limit) {
      throw new RangeError(
        `WebAssembly backend: cannot allocate ${size} bytes of scratch memory (${this.topPtr - this.base - this.freeBytes} in use, limit ${this.limit - this.base})`,
      );
    }
    this.ensureEnd(end);
    this.topPtr = end;
    return { ptr: start, bytes: size };
  }

  release(region: Region): void {
    let ptr = region.ptr;
    let bytes = region.bytes;
    let i = 0;
    while (i < this.free.length && this.free[i].ptr < ptr) i++;
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.bytes > ptr) throw new Error(`region ${ptr} released twice`);
    const next = this.free[i];
    if (next && ptr + bytes > next.ptr) throw new Error(`region ${ptr} released twice`);
    if (next && ptr + bytes === next.ptr) {
      bytes += next.bytes;
      this.free.splice(i, 1);
    }
    if (prev && prev.ptr + prev.bytes === ptr) {
      ptr = prev.ptr;
      bytes += prev.bytes;
      this.free.splice(i - 1, 1);
      i--;
    }
    if (ptr + bytes === this.topPtr) {
      this.topPtr = ptr;
      return;
    }
    this.free.splice(i, 0, { ptr, bytes });
  }
}
