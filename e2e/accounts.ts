import path from "node:path";

/** Accounts the browser tests create; the database is fresh for every test run. */
export const OWNER = { name: "Olive Owner", email: "owner@example.test", password: "owner password for e2e" };

/** The owner's signed-in browser state, written by e2e/auth.setup.ts. */
export const OWNER_STATE = path.join(import.meta.dirname, ".auth", "owner.json");
