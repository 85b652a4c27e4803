import "server-only";
import { toNextJsHandler } from "better-auth/next-js";
import { z } from "zod";
import type { Db } from "../../db/client";
import { json, readBodyText } from "../http/route";
import { forgetActors } from "./actor-cache";
import type { Auth } from "./auth";
import { signInSucceeded, takeSignInAttempt } from "./sign-in-limit";

const signInBody = z.object({ email: z.string().trim().toLowerCase().min(1).max(200) });

/**
 * better-auth's POST endpoints, with the body read under the cap every route
 * has, and sign-in limited per account as well as per address.
 */
export async function handleAuthPost(db: Db, auth: Auth, request: Request): Promise<Response> {
  const text = await readBodyText(request);
  const forward = new Request(request.url, { method: "POST", headers: request.headers, body: text });
  const handler = toNextJsHandler(auth).POST;
  if (new URL(request.url).pathname !== "/api/auth/sign-in/email") {
    // Sign-out and the like end sessions: this process stops reusing them now, before the database's notice arrives.
    const response = await handler(forward);
    forgetActors();
    return response;
  }
  const email = signInBody.safeParse(safeJson(text)).data?.email;
  if (email) {
    const waitMs = await takeSignInAttempt(db, email);
    if (waitMs > 0) {
      const seconds = String(Math.ceil(waitMs / 1000));
      // The shape and header of better-auth's own 429, so the sign-in form treats both alike.
      return json({ code: "TOO_MANY_REQUESTS", message: "Too many requests. Please try again later." }, { status: 429, headers: { "X-Retry-After": seconds, "Retry-After": seconds } });
    }
  }
  const response = await handler(forward);
  if (email && response.status === 200) await signInSucceeded(db, email);
  return response;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
