import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, repositories, runs } from "../../db/schema";
import { removeWorktree } from "../git/remove-worktree";

/** After a task landed (merged locally or on GitHub): its last worktree goes; the branch stays. */
export async function removeTaskWorktree(db: Db, taskId: string): Promise<void> {
  const [last] = await db
    .select({ worktree: attempts.worktreePath, repoPath: repositories.path })
    .from(attempts)
    .innerJoin(runs, eq(runs.id, attempts.runId))
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(and(eq(attempts.taskId, taskId), isNotNull(attempts.worktreePath)))
    .orderBy(desc(attempts.number))
    .limit(1);
  if (last?.worktree && last.repoPath) await removeWorktree(last.repoPath, last.worktree).catch(() => undefined);
}
