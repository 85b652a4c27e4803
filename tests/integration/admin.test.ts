import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureSetupLink, redeemAccessLink } from "../../lib/auth/access-links";
import { resolveActor } from "../../lib/auth/actor";
import { createAuth } from "../../lib/auth/auth";
import { useTestDatabase } from "../support/db";

const database = await useTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");
const SECRET = "a".repeat(40);

/** `npm run admin -- …` as automation runs it, against this file's database. */
function admin(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "scripts/admin.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, FOREMAN_SECRET: SECRET },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("npm run admin", () => {
  it("creates a user and prints an API token that acts as that user", async () => {
    const created = admin("create-user", "--email", "Bot@Example.test", "--password", "robot password 1", "--role", "operator");
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created operator bot@example\.test \(/) });
    const token = admin("create-token", "--email", "bot@example.test");
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^fm_[A-Za-z0-9_-]{43}$/);
    const auth = createAuth(database.db, { secret: SECRET, publicUrl: "http://127.0.0.1:3000" });
    const actor = await resolveActor(database.db, auth, new Headers({ authorization: `Bearer ${token.stdout}` }));
    expect(actor).toMatchObject({ kind: "token", email: "bot@example.test", role: "operator" });
  });

  it("ends a printed setup link: the link is refused and its file removed (issue #13)", async () => {
    const fresh = await useTestDatabase();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-admin-"));
    const link = await ensureSetupLink(fresh.db);
    writeFileSync(path.join(dataDir, "setup-url"), `http://127.0.0.1:3000/setup?token=${link!.token}\n`);
    const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "scripts/admin.ts", "create-user", "--email", "first@example.test", "--password", "first password 1", "--role", "viewer"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: fresh.url, FOREMAN_SECRET: SECRET, FOREMAN_DATA_DIR: dataDir },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(existsSync(path.join(dataDir, "setup-url"))).toBe(false);
    const auth = createAuth(fresh.db, { secret: SECRET, publicUrl: "http://127.0.0.1:3000" });
    await expect(redeemAccessLink(fresh.db, auth, "setup", { token: link!.token, name: "Late", email: "late@example.test", password: "late owner password" })).rejects.toMatchObject({ code: "forbidden" });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("explains what is wrong with a bad call", () => {
    expect(admin("create-user", "--email", "x@example.test", "--password", "robot password 1", "--role", "king")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--role Invalid option"),
    });
    expect(admin("create-token", "--email", "nobody@example.test")).toMatchObject({ code: 1, stderr: expect.stringContaining("No user nobody@example.test") });
    expect(admin("make-coffee")).toMatchObject({ code: 1, stderr: expect.stringContaining("usage: npm run admin") });
  });
});
