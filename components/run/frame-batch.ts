/** About one frame at 60 Hz. */
const FRAME_MS = 16;
/** A tab hidden after a frame was asked for never runs it: past this many waiting items they are applied at once. */
const MAX_WAITING = 500;

/**
 * Batches items for the DOM: an item is applied at once when no item has been
 * applied since the browser last drew a frame (an event's latency stays at the
 * pipe's), and items arriving in a frame that already had its update are
 * applied together at the next animation frame, so a burst costs one render
 * per frame, not one per item. A timer of one frame stands in for the
 * animation frame when the browser is slow to draw one (a busy machine, a
 * hidden tab): a batch never waits longer than that.
 */
export function frameBatch<T>(apply: (items: T[]) => void): { push(item: T): void; cancel(): void } {
  let queue: T[] = [];
  let lastFlush = -Infinity;
  /** The browser drew a frame since the last apply (its marker below ran). */
  let drawnSinceFlush = true;
  let marker: number | null = null;
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unschedule = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
  };
  const flush = () => {
    unschedule();
    lastFlush = performance.now();
    drawnSinceFlush = false;
    // Runs at the next frame the browser draws (from inside a frame's callbacks: the frame after).
    if (marker === null && !document.hidden) {
      marker = requestAnimationFrame(() => {
        marker = null;
        drawnSinceFlush = true;
      });
    }
    const items = queue;
    queue = [];
    if (items.length > 0) apply(items);
  };
  return {
    push(item) {
      queue.push(item);
      if (queue.length >= MAX_WAITING) return flush();
      if (frame !== null || timer !== null) return;
      if (drawnSinceFlush || performance.now() - lastFlush >= FRAME_MS) return flush();
      if (!document.hidden) frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, FRAME_MS);
    },
    cancel() {
      unschedule();
      if (marker !== null) cancelAnimationFrame(marker);
      marker = null;
      queue = [];
    },
  };
}
