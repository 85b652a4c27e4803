import { describe, expect, it } from "vitest";
import { safeNext } from "../../lib/auth/safe-next";
import { HOSTILE_NEXT } from "../support/hostile-next";

const PUBLIC = "http://127.0.0.1:3000";

describe("the next path after sign-in", () => {
  it.each(HOSTILE_NEXT.map((next) => [JSON.stringify(next), next]))("never leaves the origin for %s", (_, next) => {
    const result = safeNext(next, PUBLIC);
    expect(result.startsWith("/")).toBe(true);
    const followed = new URL(result, PUBLIC);
    expect(followed.origin).toBe(PUBLIC);
    // Whoever follows the path again (a browser given `Location: <path>`) stays home too.
    expect(result).not.toMatch(/^\/[/\\]/);
  });

  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeNext("/runs/abc?tab=board#t1", PUBLIC)).toBe("/runs/abc?tab=board#t1");
    expect(safeNext("/settings/users", PUBLIC)).toBe("/settings/users");
    expect(safeNext("/%2F/evil.example", PUBLIC)).toBe("/%2F/evil.example");
  });
});
