import { Agent, get } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

/**
 * The snapshot API's viewers, in a thread of their own (see benchSnapshotApi): `viewers` readers at once, each
 * reading again as soon as its answer is in, on one kept-alive connection each, as browsers hold them. The bench's
 * own event loop (Playwright's driver, its database pool) never delays a reader. Posts every read's time (ms).
 */
const input = workerData as { url: string; path: string; cookie: string; viewers: number; reads: number };
const agent = new Agent({ keepAlive: true, maxSockets: input.viewers });
const read = () =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now();
    get(new URL(input.path, input.url), { agent, headers: { cookie: input.cookie, origin: input.url } }, (response) => {
      response.on("data", () => {});
      response.on("end", () => (response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`snapshot read failed: ${response.statusCode}`))));
    }).on("error", reject);
  });
async function main() {
  // A warm-up read per viewer (connections, the first read of this version), then the measured ones.
  await Promise.all(Array.from({ length: input.viewers }, read));
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: input.viewers }, async () => {
      for (let i = 0; i < input.reads; i++) times.push(await read());
    }),
  );
  agent.destroy();
  parentPort!.postMessage(times);
}

void main();
