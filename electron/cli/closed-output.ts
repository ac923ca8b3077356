/**
 * When the reader of the CLI's output goes away (`crucible inspect M | head -1`), writes to the
 * pipe fail with EPIPE, which Node raises as an unhandled 'error' event: a stack trace, and a
 * merge killed half-way. Instead the CLI stops writing to that stream and finishes the command:
 * the exit status is the command's own, and a merge still completes its output folder. Any other
 * error of the stream is raised as before.
 */

/** Codes of a write to a pipe whose reader has closed it, or to the stream destroyed after that. */
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

export function tolerateClosedReader(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!CLOSED.has(err.code ?? '')) throw err;
  });
}
