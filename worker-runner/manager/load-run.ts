import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { repositories, runs } from "../../db/schema";

/** A run with its repository, as the manager's jobs need them. */
export async function loadRunWithRepository(db: Db, runId: string) {
  const [row] = await db
    .select({ run: runs, repository: repositories })
    .from(runs)
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(eq(runs.id, runId));
  return row ?? null;
}
