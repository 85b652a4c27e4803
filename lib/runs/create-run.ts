import "server-only";
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { repositories, runs } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { type CreateRunInput, titleFromScope } from "./schema";
import { runSettingsSchema } from "./settings";
import { enqueue } from "../jobs/enqueue";

/** Stores the run and enqueues its review in one transaction (DESIGN.md §4.1). */
export async function createRun(db: Db, boss: PgBoss, input: CreateRunInput, createdBy: string | null): Promise<{ id: string }> {
  const settings = runSettingsSchema.parse(input.settings ?? {});
  return db.transaction(async (tx) => {
    const [repository] = await tx.select({ id: repositories.id }).from(repositories).where(eq(repositories.id, input.repositoryId));
    if (!repository) throw new AppError("not_found", "repositoryId: no such repository. Add it first (POST /api/repositories).");
    const title = input.title ?? titleFromScope(input.scope);
    const [run] = await tx
      .insert(runs)
      .values({ repositoryId: input.repositoryId, title, scope: input.scope, settings, createdBy })
      .returning({ id: runs.id });
    const runId = run!.id;
    await appendEvent(tx, { runId, payload: { type: "run.created", title, createdBy } });
    await enqueue(boss, "run.review", { runId }, { tx });
    return { id: runId };
  });
}
