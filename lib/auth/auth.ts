import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Db } from "../../db/client";
import { accounts, authVerifications, rateLimits, sessions, users } from "../../db/schema";

/**
 * Sign-in attempts allowed per address per minute; the next one gets 429.
 * Guessing one account is limited per account (lib/auth/sign-in-limit.ts, 5
 * wrong passwords, then backoff), so this only bounds one client spraying many
 * accounts. It is not tighter because every local client (browsers, scripts,
 * the e2e suite) shares 127.0.0.1's budget.
 */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 20;

/**
 * better-auth: email + password, sessions in PostgreSQL, rate limits stored in
 * the database (shared by every web node). Accounts are made only by the setup
 * link, invitations and `npm run admin`: open sign-up is off.
 */
export function createAuth(db: Db, config: { secret: string; publicUrl: string }) {
  return betterAuth({
    appName: "Foreman",
    baseURL: config.publicUrl,
    basePath: "/api/auth",
    secret: config.secret,
    trustedOrigins: [new URL(config.publicUrl).origin],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: authVerifications, rateLimit: rateLimits },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 200 },
    user: { additionalFields: { role: { type: "string", required: false, defaultValue: "viewer", input: false } } },
    session: { expiresIn: 7 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      cookiePrefix: "foreman",
      useSecureCookies: config.publicUrl.startsWith("https://"),
      // server.ts stamps the socket's address here; clients cannot set it.
      ipAddress: { ipAddressHeaders: ["x-foreman-remote-address"] },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
