import "server-only";
import type { Queryable } from "../../db/client";
import { auditLog } from "../../db/schema";

export type AuditActor = { id: string | null; kind: "user" | "token" | "share" | "anonymous" | "system" };

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  runId?: string | null;
  details?: Record<string, unknown>;
};

/** Every human action is recorded: who, what, when, from which address. */
export async function recordAudit(db: Queryable, actor: AuditActor, request: Request | null, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor.id,
    actorKind: actor.kind,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    runId: entry.runId ?? null,
    ip: request ? clientAddress(request) : null,
    userAgent: request?.headers.get("user-agent")?.slice(0, 300) ?? null,
    details: entry.details ?? null,
  });
}

function clientAddress(request: Request): string | null {
  // server.ts stamps the socket's address; forwarded headers are not trusted.
  return request.headers.get("x-foreman-remote-address");
}
