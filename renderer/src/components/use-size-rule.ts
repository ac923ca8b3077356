/**
 * Whether an element's content box passes a size rule, followed with a ResizeObserver (false until
 * first measured). Only the answer is state, so resizing re-renders the caller only when it flips.
 */
import { useEffect, useState, type RefObject } from 'react';

export function useSizeRule(ref: RefObject<HTMLElement | null>, rule: (width: number, height: number) => boolean): boolean {
  const [passes, setPasses] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setPasses(rule(entry.contentRect.width, entry.contentRect.height)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, rule]);
  return passes;
}
