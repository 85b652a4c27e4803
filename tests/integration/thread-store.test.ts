import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { codexThreads } from "../../db/schema";
import { restoreThread, saveThread } from "../../worker-runner/codex/thread-store";
import { useTestDatabase } from "../support/db";

/**
 * A worker can write its CODEX_HOME (codex keeps its thread there), and the
 * runner shares that thread through PostgreSQL with runners on other hosts.
 * A hostile worker plants links there so that the runner reads a host file
 * into the database (and back into a sandbox elsewhere), or writes through
 * them when restoring. Neither may happen.
 */
const database = await useTestDatabase();
const { db } = database;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const SECRET = "FOREMAN_SECRET=sentinel-thread-store-7f3a";

function place() {
  const root = mkdtempSync(path.join(os.tmpdir(), "foreman-thread-store-"));
  dirs.push(root);
  const home = path.join(root, "task-1");
  const outside = path.join(root, "outside");
  mkdirSync(path.join(home, "sessions", "2026", "12", "02"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(outside, "secret.env"), SECRET);
  return { home, outside, day: path.join(home, "sessions", "2026", "12", "02") };
}

describe("sharing a Codex thread through the database", () => {
  it("a plain rollout is saved and restored into another host's home", async () => {
    const { home, day } = place();
    writeFileSync(path.join(day, "rollout-2026-12-02T10-00-00-thread-a.jsonl"), '{"type":"session_meta"}\n');
    await saveThread(db, { codexHome: home, threadId: "thread-a", runnerId: "r1" });
    const other = path.join(place().home, "..", "task-1");
    expect(await restoreThread(db, { codexHome: other, threadId: "thread-a" })).toBe(true);
    expect(readFileSync(path.join(other, "sessions", "2026", "12", "02", "rollout-2026-12-02T10-00-00-thread-a.jsonl"), "utf8")).toBe('{"type":"session_meta"}\n');
  });

  it("a rollout the worker replaced with a link to a host file is not read", async () => {
    const { home, outside, day } = place();
    symlinkSync(path.join(outside, "secret.env"), path.join(day, "rollout-2026-12-02T10-00-00-thread-b.jsonl"));
    await saveThread(db, { codexHome: home, threadId: "thread-b", runnerId: "r1" });
    expect(await db.select().from(codexThreads).where(eq(codexThreads.threadId, "thread-b"))).toEqual([]);
  });

  it("a sessions folder the worker linked elsewhere is not followed", async () => {
    const { home, outside } = place();
    writeFileSync(path.join(outside, "rollout-2026-12-02T10-00-00-thread-c.jsonl"), SECRET);
    rmSync(path.join(home, "sessions", "2026", "12", "02"), { recursive: true });
    symlinkSync(outside, path.join(home, "sessions", "2026", "12", "02"));
    await saveThread(db, { codexHome: home, threadId: "thread-c", runnerId: "r1" });
    expect(await db.select().from(codexThreads).where(eq(codexThreads.threadId, "thread-c"))).toEqual([]);
  });

  it("restoring never writes through a link the worker planted where the rollout goes", async () => {
    const source = place();
    writeFileSync(path.join(source.day, "rollout-2026-12-02T10-00-00-thread-d.jsonl"), '{"type":"session_meta"}\n{"type":"turn"}\n');
    await saveThread(db, { codexHome: source.home, threadId: "thread-d", runnerId: "r1" });
    const target = place();
    // A short "rollout" the runner would replace, that is really a link to a host file.
    symlinkSync(path.join(target.outside, "secret.env"), path.join(target.day, "rollout-2026-12-02T10-00-00-thread-d.jsonl"));
    await restoreThread(db, { codexHome: target.home, threadId: "thread-d" }).catch(() => false);
    expect(readFileSync(path.join(target.outside, "secret.env"), "utf8")).toBe(SECRET);
  });
});
