/**
 * Event batches pushed at any rate, delivered together on an animation frame, at most every
 * `intervalMs`: a run streaming thousands of events a second costs the page a re-render a few
 * times a second, and the frames in between are free. When frames stop (a hidden window) a timer
 * delivers instead, so state keeps up.
 */
const FALLBACK_MS = 250;

/** How often pushed service events reach the page: progress ten times a second is smooth to the eye. */
export const EVENT_REFRESH_MS = 100;

export function perFrame<T>(deliver: (items: T[]) => void, intervalMs = 0): (items: readonly T[]) => void {
  let queued: T[] = [];
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const hasFrames = typeof requestAnimationFrame === 'function';
  const flush = (): void => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
    last = performance.now();
    const items = queued;
    queued = [];
    if (items.length) deliver(items);
  };
  const onFrame = (t: number): void => {
    frame = null;
    if (t - last >= intervalMs) flush();
    else frame = requestAnimationFrame(onFrame);
  };
  return (items) => {
    if (!items.length) return;
    for (const item of items) queued.push(item);
    if (timer !== null) return;
    if (!hasFrames) {
      timer = setTimeout(flush, Math.max(0, last + intervalMs - performance.now()));
      return;
    }
    timer = setTimeout(flush, Math.max(FALLBACK_MS, intervalMs * 2));
    frame = requestAnimationFrame(onFrame);
  };
}
