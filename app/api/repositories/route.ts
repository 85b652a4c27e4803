import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { json, readJson, route } from "@/lib/http/route";
import { createRepository } from "@/lib/repositories/create-repository";
import { listRepositories } from "@/lib/repositories/list-repositories";
import { createRepositoryInput } from "@/lib/repositories/schema";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await requireAccess(request, { role: "viewer", mutation: false });
  return json({ repositories: await listRepositories(getDb()) });
});

/** Repositories and their secrets are the owner's (DESIGN.md §9). */
export const POST = route(async (request) => {
  const actor = await requireAccess(request, { role: "owner", mutation: true });
  const input = await readJson(request, createRepositoryInput);
  const repository = await createRepository(getDb(), input, auditActor(actor).id, env().secret);
  await recordAudit(getDb(), auditActor(actor), request, {
    action: "repository.create",
    targetType: "repository",
    targetId: repository.id,
    details: { name: repository.name, githubToken: repository.hasGithubToken ? "stored (encrypted)" : "none" },
  });
  return json({ repository }, { status: 201 });
});
