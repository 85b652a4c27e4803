import { describe, expect, it } from "vitest";
import { safeNext } from "../../lib/auth/safe-next";

const PUBLIC = "http://127.0.0.1:3000";

/** Each of these, followed by a browser, would leave the origin (or is no path at all). */
export const HOSTILE_NEXT = [
  "/\\evil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
  "/%09/evil.example",
  "//evil.example",
  "///evil.example",
  "/\\/evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "https://evil.example",
  "http://127.0.0.1:3000.evil.example/",
  "http://127.0.0.1:3001/",
  "https://127.0.0.1:3000/",
  "HTTP://evil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
  " //evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "//%65vil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/.//evil.example",
  "/x/..//evil.example",
  "@evil.example",
  "//user@evil.example",
  ["/runs", "//evil.example"],
  "",
];

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
