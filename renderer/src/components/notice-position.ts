/**
 * Where a notice shown at the pointer goes: just below and right of it, moved left and up as far as
 * needed to stay inside the window (a refusal at the canvas's right edge ran past it), never past
 * the window's top-left corner. `width` is the notice's widest (its CSS max-width).
 */
export const POINTER_NOTICE_WIDTH = 460;
export const POINTER_NOTICE_OFFSET = 12;
const MARGIN = 8;

export function pointerNoticePosition(at: { x: number; y: number }, viewport: { width: number; height: number }, width = POINTER_NOTICE_WIDTH, height = 80): { left: number; top: number } {
  const left = Math.max(MARGIN, Math.min(at.x + POINTER_NOTICE_OFFSET, viewport.width - width - MARGIN));
  const top = Math.max(MARGIN, Math.min(at.y + POINTER_NOTICE_OFFSET, viewport.height - height - MARGIN));
  return { left, top };
}
