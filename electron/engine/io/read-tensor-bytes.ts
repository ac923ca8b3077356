/** Positioned reads of a tensor's raw bytes into a caller's buffer (synchronous, no allocation). */
import { readSync } from 'node:fs';
import { DTYPE_SIZE } from './dtype.js';
import { readFd } from './read-fd-cache.js';
import { InputError, type TensorInfo } from './types.js';

/** Largest single read: 1–4 MiB reads are the fastest from the page cache (design notes). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

/**
 * Copies elements [startElem, startElem + count) of `info` (raw little-endian bytes, as stored)
 * into dst[0 .. count · dtype size), in reads of at most 4 MiB, through the cached descriptor.
 */
export function readTensorBytes(info: TensorInfo, startElem: number, count: number, dst: Uint8Array): void {
  const size = DTYPE_SIZE[info.dtype];
  if (!Number.isSafeInteger(startElem) || !Number.isSafeInteger(count) || startElem < 0 || count < 0 || startElem + count > info.numel) {
    throw new RangeError(`${info.name}: elements [${startElem}, ${startElem + count}) outside 0..${info.numel}`);
  }
  const total = count * size;
  if (dst.length < total) throw new RangeError(`${info.name}: buffer of ${dst.length} bytes, ${total} needed`);
  const fd = readFd(info.file);
  const position = info.offset + startElem * size;
  let done = 0;
  while (done < total) {
    const want = Math.min(MAX_READ_BYTES, total - done);
    const got = readSync(fd, dst, done, want, position + done);
    if (got === 0) {
      throw new InputError(
        `${info.file}: tensor ${JSON.stringify(info.name)}: file ended at byte ${position + done} (was it truncated after its header was read?)`,
        info.file,
        info.name,
      );
    }
    done += got;
  }
}
