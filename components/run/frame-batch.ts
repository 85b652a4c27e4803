/** About one frame at 60 Hz. */
const FRAME_MS = 16;
/** A hidden tab runs no animation frames: its batches go out on a timer instead. */
const HIDDEN_FLUSH_MS = 250;
/** A tab hidden after a frame was asked for never runs it: past this many waiting items they are applied at once. */
const MAX_WAITING = 500;

/**
 * Batches items for the DOM: the first item after a quiet frame is applied at
 * once (an event's latency stays at the pipe's), and items arriving in the
 * same frame as another are applied together at the next animation frame, so
 * a burst costs one render per frame, not one per item.
 */
export function frameBatch<T>(apply: (items: T[]) => void): { push(item: T): void; cancel(): void } {
  let queue: T[] = [];
  let lastFlush = -Infinity;
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    frame = null;
    timer = null;
    lastFlush = performance.now();
    const items = queue;
    queue = [];
    if (items.length > 0) apply(items);
  };
  return {
    push(item) {
      queue.push(item);
      if (queue.length >= MAX_WAITING) {
        if (frame !== null) cancelAnimationFrame(frame);
        if (timer !== null) clearTimeout(timer);
        flush();
        return;
      }
      if (frame !== null || timer !== null) return;
      if (performance.now() - lastFlush >= FRAME_MS) flush();
      else if (document.hidden) timer = setTimeout(flush, HIDDEN_FLUSH_MS);
      else frame = requestAnimationFrame(flush);
    },
    cancel() {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      frame = null;
      timer = null;
      queue = [];
    },
  };
}
