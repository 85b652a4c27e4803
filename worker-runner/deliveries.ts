import type { PgBoss } from "pg-boss";
import type { Db, Sql } from "../db/client";
import { DELIVERY_RETRY, queueDeliveries } from "../lib/notifications/queue-deliveries";
import { DELIVERIES_CHANNEL } from "../lib/notifications/record-moment";

/** Backstop for a NOTIFY missed while this runner's connection was down. */
const SWEEP_MS = 60_000;

/**
 * Webhook deliveries are recorded with the event that needs a human
 * (lib/notifications/record-moment.ts) and announced on `foreman_deliveries`;
 * every runner listens and turns them into `webhook.deliver` jobs. Deliveries
 * recorded while no runner was up are queued at start.
 */
export async function listenForDeliveries(deps: { db: Db; sql: Sql; boss: PgBoss; retry?: typeof DELIVERY_RETRY; log?: (line: string) => void }) {
  const log = deps.log ?? ((line: string) => console.error(`[runner] ${line}`));
  let draining: Promise<void> | null = null;
  let again = false;
  const drain = (): Promise<void> => {
    // One drain at a time; a NOTIFY during it makes it look once more.
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      do {
        again = false;
        await queueDeliveries(deps.db, deps.boss, deps.retry).catch((error: unknown) => log(`could not queue webhook deliveries: ${String(error)}`));
      } while (again);
      draining = null;
    })();
    return draining;
  };
  const listening = await deps.sql.listen(DELIVERIES_CHANNEL, () => void drain());
  await drain();
  const sweeper = setInterval(() => void drain(), SWEEP_MS);
  sweeper.unref();
  return {
    drain,
    close: async () => {
      clearInterval(sweeper);
      await listening.unlisten();
      await draining;
    },
  };
}
