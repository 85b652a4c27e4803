import { toNextJsHandler } from "better-auth/next-js";
import { checkHost, checkOrigin } from "@/lib/auth/access";
import { handleAuthPost } from "@/lib/auth/auth-post";
import { errorResponse } from "@/lib/http/route";
import { getAuth, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** better-auth's endpoints (sign-in, sign-out, session), behind the same Host and Origin checks. */
export async function GET(request: Request) {
  try {
    checkHost(request.headers);
  } catch (error) {
    return errorResponse(error);
  }
  return toNextJsHandler(getAuth()).GET(request);
}

export async function POST(request: Request) {
  try {
    checkHost(request.headers);
    checkOrigin(request.headers, { bearer: false });
    return await handleAuthPost(getDb(), getAuth(), request);
  } catch (error) {
    return errorResponse(error);
  }
}
