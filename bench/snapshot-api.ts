import { Worker } from "node:worker_threads";
import type { BrowserContext } from "@playwright/test";
import type { Db } from "../db/client";
import { runEvents } from "../db/schema";
import { record } from "./figures";
import { seedBoard } from "./seed-board";
import { ms, percentile } from "./stats";

const EVENTS = 10_000;
const VIEWERS = 10;
const READS_PER_VIEWER = 30;

/**
 * GET /api/runs/:id on a run of `cards` tasks and 10,000 events, read by 10
 * viewers at once (each reads again as soon as its answer is in), on the
 * board bench's server and session. Every read's time is kept.
 */
export async function benchSnapshotApi(context: BrowserContext, url: string, db: Db, cards: number) {
  const { runId } = await seedBoard(db, cards);
  for (let from = 0; from < EVENTS; from += 1000) {
    await db.insert(runEvents).values(
      Array.from({ length: 1000 }, (_, index) => ({ runId, type: "run.note", payload: { level: "info", message: `bench note ${from + index}` } })),
    );
  }
  const whole = (await (await context.request.get(`/api/runs/${runId}`)).json()) as { tasks: unknown[] };
  if (whole.tasks.length !== cards) throw new Error(`the snapshot has ${whole.tasks.length} tasks, not ${cards}`);
  // Plain HTTP with the session's cookie, from a thread of its own: Playwright's request client moves each 260 KB body
  // through its driver process and cost more than the server here, and the bench's own loop would delay the readers.
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const worker = new Worker(new URL("./snapshot-readers-thread.ts", import.meta.url), {
    workerData: { url, path: `/api/runs/${runId}`, cookie, viewers: VIEWERS, reads: READS_PER_VIEWER },
  });
  const times = await new Promise<number[]>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  console.log(`run snapshot API, ${cards} tasks and ${EVENTS} events, ${VIEWERS} viewers reading at once (${times.length} reads):`);
  console.log(`  GET /api/runs/:id  p50 ${ms(p50)}  p99 ${ms(p99)}`);
  record("run snapshot API at 10 concurrent viewers", `p50 ${ms(p50)}, p99 ${ms(p99)}`, "p99 < 50 ms", p99 < 50);
}
