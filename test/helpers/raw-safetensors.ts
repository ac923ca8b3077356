/**
 * Builds safetensors bytes by hand, including broken ones, for reader tests.
 *
 *   rawSafetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 8)
 *   rawSafetensors('{"a": ...', new Uint8Array(8), { headerLength: 10n ** 9n })
 *
 * `header`: an object (JSON.stringify'd) or the exact header text; `data`: the data section's
 * bytes, or a byte count (zeros). The header is padded with spaces to an 8-byte boundary unless
 * `pad: false`; `headerLength` overrides the length prefix.
 */
export interface RawOptions {
  pad?: boolean;
  headerLength?: bigint;
}

export function rawSafetensors(header: object | string | Uint8Array, data: Uint8Array | number = 0, opts: RawOptions = {}): Uint8Array {
  let json: Uint8Array =
    header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (opts.pad !== false) {
    const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, opts.headerLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}
