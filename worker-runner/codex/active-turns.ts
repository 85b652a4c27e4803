import type { InterruptReason } from "../../lib/events/types";

type Entry = { controller: AbortController; reason: InterruptReason | null };

/**
 * The turns this runner is running, by attempt id, so a pause, a deadline or
 * the runner's own shutdown can interrupt them (SIGINT through the wrapper).
 */
export class ActiveTurns {
  private readonly entries = new Map<string, Entry>();
  private closedBecause: InterruptReason | null = null;

  /** Registers a turn; `release` must be called when it ends. */
  register(attemptId: string): { signal: AbortSignal; reason: () => InterruptReason | null; release: () => void } {
    if (this.entries.has(attemptId)) throw new Error(`attempt ${attemptId} already has a running turn`);
    const entry: Entry = { controller: new AbortController(), reason: null };
    this.entries.set(attemptId, entry);
    // A turn that starts while the runner is stopping is interrupted at once.
    if (this.closedBecause) this.interrupt(attemptId, this.closedBecause);
    return {
      signal: entry.controller.signal,
      reason: () => entry.reason,
      release: () => {
        if (this.entries.get(attemptId) === entry) this.entries.delete(attemptId);
      },
    };
  }

  /** Interrupts the attempt's running turn; false when it has none. The first reason given wins. */
  interrupt(attemptId: string, reason: InterruptReason): boolean {
    const entry = this.entries.get(attemptId);
    if (!entry) return false;
    entry.reason ??= reason;
    entry.controller.abort();
    return true;
  }

  /** Interrupts every turn, and every turn started from now on. */
  close(reason: InterruptReason): number {
    this.closedBecause = reason;
    return this.interruptAll(reason);
  }

  interruptAll(reason: InterruptReason): number {
    for (const attemptId of this.entries.keys()) this.interrupt(attemptId, reason);
    return this.entries.size;
  }

  has(attemptId: string): boolean {
    return this.entries.has(attemptId);
  }

  get size(): number {
    return this.entries.size;
  }
}
