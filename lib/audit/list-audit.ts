import "server-only";
import { desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { auditLog, repositories, runs, tasks, users, webhookEndpoints } from "../../db/schema";

/** Newest first, one page at a time (`before` = the last id seen). */
export async function listAudit(db: Db, options: { before?: number; limit?: number } = {}) {
  const limit = options.limit ?? 100;
  return db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      actorKind: auditLog.actorKind,
      actorId: auditLog.actorId,
      actorEmail: users.email,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      // What a person calls the target: a run's title, a task's key and title, a person's email (ids stay in the row's details).
      targetName: sql<string | null>`case ${auditLog.targetType}
        when 'run' then (select ${runs.title} from ${runs} where ${runs.id}::text = ${auditLog.targetId})
        when 'task' then (select ${tasks.key} || ' ' || ${tasks.title} from ${tasks} where ${tasks.id}::text = ${auditLog.targetId})
        when 'user' then (select u.email from ${users} u where u.id::text = ${auditLog.targetId})
        when 'repository' then (select ${repositories.name} from ${repositories} where ${repositories.id}::text = ${auditLog.targetId})
        when 'webhook' then (select ${webhookEndpoints.name} from ${webhookEndpoints} where ${webhookEndpoints.id}::text = ${auditLog.targetId})
        end`,
      runId: auditLog.runId,
      runTitle: sql<string | null>`(select ${runs.title} from ${runs} where ${runs.id} = ${auditLog.runId})`,
      ip: auditLog.ip,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(options.before ? lt(auditLog.id, options.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
