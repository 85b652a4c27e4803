import { eq, sql } from "drizzle-orm";
import { shareLinks } from "@/db/schema";
import { checkHost } from "@/lib/auth/access";
import { actorFromShareToken, SHARE_COOKIE } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/**
 * Opening a share link: the token moves into an httpOnly cookie (so it leaves
 * the address bar and is never sent as a Referer) and the browser goes to the run.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  try {
    checkHost(request.headers);
  } catch (error) {
    return errorResponse(error);
  }
  const { token } = await params;
  const actor = token.length <= 200 ? await actorFromShareToken(getDb(), token) : { kind: "anonymous" as const };
  const headers = new Headers({ "referrer-policy": "no-referrer", "cache-control": "no-store" });
  if (actor.kind !== "share") {
    headers.set("content-type", "text/plain; charset=utf-8");
    return new Response("This share link is not valid: it expired or was revoked. Ask whoever shared it for a new one.\n", { status: 404, headers });
  }
  await getDb().update(shareLinks).set({ lastUsedAt: sql`now()` }).where(eq(shareLinks.id, actor.shareLinkId));
  await recordAudit(getDb(), { id: actor.shareLinkId, kind: "share" }, request, { action: "share_link.open", targetType: "share_link", targetId: actor.shareLinkId, runId: actor.runId });
  const secure = env().publicUrl.startsWith("https://") ? "; Secure" : "";
  headers.append("set-cookie", `${SHARE_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${7 * 24 * 3600}${secure}`);
  headers.set("location", `${env().publicUrl}/runs/${actor.runId}`);
  return new Response(null, { status: 303, headers });
}
