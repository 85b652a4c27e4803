import { parentPort, workerData } from "node:worker_threads";
import { watchProcesses } from "./watch-processes";

/** watchProcesses in a worker thread (see watchProcessesOffThread): its synchronous /proc reads never block the bench's event loop. */
const input = workerData as { root: number; everyMs: number };
const watch = watchProcesses(input.root, input.everyMs);
parentPort!.once("message", () => parentPort!.postMessage(watch.stop()));
