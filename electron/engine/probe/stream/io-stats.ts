/** What a probe read from disk: bytes and reads per (file, tensor), for the "read once" guarantee. */
export interface IoStats {
  bytesRead: number;
  /** Reads per `${file}::${tensor}`. */
  reads: Map<string, number>;
}

export function newIoStats(): IoStats {
  return { bytesRead: 0, reads: new Map() };
}
