import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { createApiToken, listApiTokens } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/errors/app-error";
import { json, readJson, route } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  const actor = await requireAccess(request, { role: "viewer", mutation: false });
  return json({ tokens: await listApiTokens(getDb(), actor.id) });
});

export const POST = route(async (request) => {
  const actor = await requireAccess(request, { role: "viewer", mutation: true });
  if (actor.kind !== "user") throw new AppError("forbidden", "Create API tokens while signed in, not with another token.");
  const { name } = await readJson(request, z.object({ name: z.string().trim().min(1).max(100) }).strict());
  const created = await createApiToken(getDb(), actor.id, name);
  await recordAudit(getDb(), auditActor(actor), request, { action: "api_token.create", targetType: "api_token", targetId: created.id, details: { name } });
  return json(created, { status: 201 });
});
