/** Reads one .safetensors file's header from disk (never its tensor data). */
import { createHash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { headerLengthFromPrefix, parseSafetensorsHeader, PREFIX_BYTES } from './safetensors-header.js';
import { InputError, type TensorInfo, type WeightFileInfo } from './types.js';

export interface SafetensorsFile {
  info: WeightFileInfo;
  /** In header order, with absolute offsets. */
  tensors: TensorInfo[];
  /** Absolute offset of the data section (8 + header length). */
  dataStart: number;
}

/** Opens `file` (an absolute path), reads and checks its header. Throws InputError on bad input. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsFile> {
  let handle;
  try {
    // A FIFO or device would block the open (and every read) until someone writes to it; only a
    // regular file (a symbolic link to one, as in the Hugging Face cache, is fine) is a checkpoint.
    const st = await stat(file);
    if (!st.isFile()) throw new InputError(`${file}: not a regular file (${st.isDirectory() ? 'a folder' : 'a pipe, socket or device'})`, file);
    handle = await open(file, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, file);
  }
  try {
    const size = (await handle.stat()).size;
    const prefix = new Uint8Array(PREFIX_BYTES);
    await readExactly(handle, prefix, 0, file);
    const n = headerLengthFromPrefix(prefix, file, size);
    const headerBytes = new Uint8Array(n);
    await readExactly(handle, headerBytes, PREFIX_BYTES, file);
    const parsed = parseSafetensorsHeader(headerBytes, file, size);
    const headerSha256 = createHash('sha256').update(prefix).update(headerBytes).digest('hex');
    return {
      info: { path: file, size, headerSha256, metadata: parsed.metadata },
      tensors: parsed.tensors,
      dataStart: parsed.dataStart,
    };
  } finally {
    await handle.close();
  }
}

async function readExactly(
  handle: FileHandle,
  dst: Uint8Array,
  position: number,
  file: string,
): Promise<void> {
  let done = 0;
  while (done < dst.length) {
    const { bytesRead } = await handle.read(dst, done, dst.length - done, position + done);
    if (bytesRead === 0) {
      // A file shorter than 8 bytes gets the clearer message from headerLengthFromPrefix.
      if (position === 0) return;
      throw new InputError(`${file}: file ended while reading the safetensors header`, file);
    }
    done += bytesRead;
  }
}
