import { createHash, randomBytes } from "node:crypto";

/**
 * Bearer secrets (API tokens, share links, setup and invite links): 256 random
 * bits, shown once; only their SHA-256 is stored, so a database leak reveals none.
 */
export function newToken(prefix: "fm" | "fms" | "fmi"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}


