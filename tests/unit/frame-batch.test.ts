import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { frameBatch } from "../../components/run/frame-batch";

/** A browser's frame clock driven by hand: `draw()` runs the animation-frame callbacks asked for so far, as a frame does. */
let callbacks = new Map<number, FrameRequestCallback>();
let nextId = 1;
let hidden = false;
function draw() {
  const due = callbacks;
  callbacks = new Map();
  for (const callback of due.values()) callback(performance.now());
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  callbacks = new Map();
  hidden = false;
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
    callbacks.set(nextId, callback);
    return nextId++;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => callbacks.delete(id));
  vi.stubGlobal("document", {
    get hidden() {
      return hidden;
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function batcher() {
  const applied: number[][] = [];
  return { batch: frameBatch<number>((items) => applied.push(items)), applied };
}

describe("frameBatch (live events into the DOM)", () => {
  it("applies an item at once when nothing was applied since the last frame", () => {
    const { batch, applied } = batcher();
    batch.push(1);
    expect(applied).toEqual([[1]]);
  });

  it("applies items that arrive in a frame that already had its update together, at the next frame", () => {
    const { batch, applied } = batcher();
    batch.push(1);
    vi.advanceTimersByTime(4);
    batch.push(2);
    batch.push(3);
    expect(applied).toEqual([[1]]);
    draw();
    expect(applied).toEqual([[1], [2, 3]]);
  });

  it("applies at once an item that comes after a frame was drawn, however soon after the last", () => {
    const { batch, applied } = batcher();
    batch.push(1);
    vi.advanceTimersByTime(5);
    draw();
    vi.advanceTimersByTime(5);
    // 10 ms after the last update, but a frame showed it: this one is not held for another frame.
    batch.push(2);
    expect(applied).toEqual([[1], [2]]);
  });

  it("updates at most once per drawn frame, however fast items come", () => {
    const { batch, applied } = batcher();
    for (let frameNumber = 0; frameNumber < 5; frameNumber++) {
      for (let i = 0; i < 10; i++) {
        batch.push(frameNumber * 10 + i);
        vi.advanceTimersByTime(1);
      }
      draw();
      vi.advanceTimersByTime(6);
    }
    expect(applied.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(applied.length).toBeLessThanOrEqual(6);
  });

  it("in a hidden tab, which draws no frames, applies a batch within one frame's time", () => {
    const { batch, applied } = batcher();
    batch.push(1);
    hidden = true;
    vi.advanceTimersByTime(2);
    batch.push(2);
    expect(applied).toEqual([[1]]);
    vi.advanceTimersByTime(16);
    expect(applied).toEqual([[1], [2]]);
  });

  it("drops what waits when cancelled", () => {
    const { batch, applied } = batcher();
    batch.push(1);
    batch.push(2);
    batch.cancel();
    draw();
    vi.advanceTimersByTime(50);
    expect(applied).toEqual([[1]]);
  });
});
