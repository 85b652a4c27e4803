import { recordAudit } from "@/lib/audit/record-audit";
import { json, readJson, route } from "@/lib/http/route";
import { createRepository } from "@/lib/repositories/create-repository";
import { listRepositories } from "@/lib/repositories/list-repositories";
import { createRepositoryInput } from "@/lib/repositories/schema";
import { anonymousActor } from "@/lib/server/actor";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async () => json({ repositories: await listRepositories(getDb()) }));

export const POST = route(async (request) => {
  const input = await readJson(request, createRepositoryInput);
  const actor = anonymousActor();
  const repository = await createRepository(getDb(), input, actor.id);
  await recordAudit(getDb(), actor, request, { action: "repository.create", targetType: "repository", targetId: repository.id });
  return json({ repository }, { status: 201 });
});
