import "server-only";
import type { Auth } from "./auth";

/** Signs the new account in and hands its session cookie to the response. */
export async function signInResponse(auth: Auth, request: Request, credentials: { email: string; password: string }, body: unknown, status = 201) {
  const signIn = await auth.api.signInEmail({ body: credentials, headers: request.headers, asResponse: true });
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  for (const cookie of signIn.headers.getSetCookie()) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify(body), { status, headers });
}
