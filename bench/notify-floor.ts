import postgres from "postgres";
import { sleep } from "./stats";

/**
 * The floor under any event latency: a bare NOTIFY from one connection to a
 * LISTEN on another, `count` of them at `rate` per second. Milliseconds each.
 */
export async function measureNotifyFloor(url: string, rate: number, count: number): Promise<number[]> {
  const listener = postgres(url, { max: 1, onnotice: () => {} });
  const sender = postgres(url, { max: 1, onnotice: () => {} });
  const floor: number[] = [];
  const pending = new Map<string, number>();
  try {
    await listener.listen("bench_floor", (payload) => {
      const sent = pending.get(payload);
      if (sent !== undefined) floor.push(performance.now() - sent);
    });
    for (let i = 0; i < count; i++) {
      pending.set(String(i), performance.now());
      await sender`select pg_notify('bench_floor', ${String(i)})`;
      await sleep(1000 / rate);
    }
    await sleep(200);
  } finally {
    await Promise.all([listener.end(), sender.end()]);
  }
  return floor;
}
