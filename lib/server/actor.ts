import "server-only";
import type { Actor } from "../audit/record-audit";

/**
 * Who is calling. Sign-in, API tokens and share links come with the access
 * control issue; until then every caller is anonymous and is audited as such.
 */
export function anonymousActor(): Actor {
  return { id: null, kind: "anonymous" };
}
