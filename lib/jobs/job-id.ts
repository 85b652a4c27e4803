import { createHash } from "node:crypto";

/**
 * A job id derived from what the job is for: pg-boss inserts a job whose id
 * exists already as nothing, so sending the same effect twice (a retry, two
 * runners noticing the same thing, a human and a sweep) queues it once.
 */
export function jobIdFor(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  // Shaped as an RFC 4122 version 5-style UUID (pg-boss ids are uuid).
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
