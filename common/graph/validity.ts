/** A check's outcome: a reason rather than a boolean, so the UI can say why. */
export type Validity = { ok: true } | { ok: false; reason: string };

export const VALID: Validity = { ok: true };
export function invalid(reason: string): Validity {
  return { ok: false, reason };
}
