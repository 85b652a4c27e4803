import { checkHost, checkOrigin } from "@/lib/auth/access";
import { redeemAccessLink } from "@/lib/auth/access-links";
import { newAccountInput } from "@/lib/auth/schema";
import { signInResponse } from "@/lib/auth/sign-in-response";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { readJson, route } from "@/lib/http/route";
import { getAuth, getDb } from "@/lib/server/context";
import { removeSetupLinkFile } from "@/lib/server/setup-link";

export const dynamic = "force-dynamic";

/** The first start's one-time link creates the owner (the token is the permission). */
export const POST = route(async (request) => {
  checkHost(request.headers);
  checkOrigin(request.headers, { bearer: false });
  const input = await readJson(request, newAccountInput);
  const user = await redeemAccessLink(getDb(), getAuth(), "setup", input);
  removeSetupLinkFile(env().dataDir);
  await recordAudit(getDb(), { id: user.id, kind: "user" }, request, { action: "user.setup_owner", targetType: "user", targetId: user.id });
  return signInResponse(getAuth(), request, { email: input.email, password: input.password }, { user });
});
