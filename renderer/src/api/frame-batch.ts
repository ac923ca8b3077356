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
  /** Waits out the interval without asking for frames, then delivers on the next one (or by timer if none comes). */
  const schedule = (): void => {
    const wait = last + intervalMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(schedule, wait);
      return;
    }
    if (!hasFrames) {
      timer = setTimeout(flush, 0);
      return;
    }
    timer = setTimeout(flush, FALLBACK_MS);
    frame = requestAnimationFrame(flush);
  };
  return (items) => {
    if (!items.length) return;
    for (const item of items) queued.push(item);
    if (timer === null) schedule();
  };
}
