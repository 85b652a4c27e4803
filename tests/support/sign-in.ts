import type { Db } from "../../db/client";
import type { Auth } from "../../lib/auth/auth";
import { createUser } from "../../lib/auth/create-user";

let people = 0;

/** A new account with `role`, signed in through better-auth: the user and the session's cookie header. */
export async function signedInUser(db: Db, auth: Auth, role: "operator" | "viewer" | "owner" = "operator", label = "person") {
  const n = ++people;
  const email = `${label}${n}@example.test`;
  const password = `${label} password ${n}`;
  const user = await createUser(db, auth, { email, name: label, password, role });
  // Each from its own address, so better-auth's per-address sign-in limit never applies across tests.
  const response = await auth.api.signInEmail({ body: { email, password }, asResponse: true, headers: new Headers({ "x-foreman-remote-address": `192.0.2.${n % 250}` }) });
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { user, email, cookie };
}
