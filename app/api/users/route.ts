import { requireAccess } from "@/lib/auth/access";
import { listUsers } from "@/lib/auth/users";
import { json, route } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await requireAccess(request, { role: "owner", mutation: false });
  return json({ users: await listUsers(getDb()) });
});
