import { checkHost, checkOrigin } from "@/lib/auth/access";
import { redeemAccessLink } from "@/lib/auth/access-links";
import { newAccountInput } from "@/lib/auth/schema";
import { signInResponse } from "@/lib/auth/sign-in-response";
import { recordAudit } from "@/lib/audit/record-audit";
import { readJson, route } from "@/lib/http/route";
import { getAuth, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** An invitation link creates an account with the role the owner chose. */
export const POST = route(async (request) => {
  checkHost(request.headers);
  checkOrigin(request.headers, { bearer: false });
  const input = await readJson(request, newAccountInput);
  const user = await redeemAccessLink(getDb(), getAuth(), "invite", input);
  await recordAudit(getDb(), { id: user.id, kind: "user" }, request, { action: "user.accept_invite", targetType: "user", targetId: user.id, details: { role: user.role } });
  return signInResponse(getAuth(), request, { email: input.email, password: input.password }, { user });
});
