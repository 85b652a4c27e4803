import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Whether Foreman has a model to talk to (issue #17), said at `npm start` and
 * on every page: a model endpoint that answers, an API key, or the user's
 * `codex login` (~/.codex/auth.json), in the order Codex itself uses them.
 * Without one, the fix is said in one sentence instead of a run that fails.
 */
export type ModelCheck = { usable: boolean; how: string };

export const NO_MODEL_FIX =
  "No model is set up: run `codex login`, or set OPENAI_API_KEY, or point FOREMAN_MODEL_BASE_URL at a Responses endpoint, then restart Foreman. `npm run demo` needs none of these.";

export async function checkModel(input: { baseUrl: string | null; apiKey: string | null; loginFile: string | null; timeoutMs?: number }): Promise<ModelCheck> {
  if (input.baseUrl) {
    try {
      // Any HTTP answer means something listens there; only the model's own requests can say more.
      await fetch(`${input.baseUrl.replace(/\/$/, "")}/models`, { signal: AbortSignal.timeout(input.timeoutMs ?? 3_000) });
      return { usable: true, how: `the model endpoint ${input.baseUrl} answers` };
    } catch {
      return {
        usable: false,
        how: `The model endpoint FOREMAN_MODEL_BASE_URL (${input.baseUrl}) does not answer: start it, or unset the variable to use Codex's own login or an API key, then restart Foreman.`,
      };
    }
  }
  if (input.apiKey) return { usable: true, how: "an API key is set" };
  if (input.loginFile) return { usable: true, how: `Codex's login (${input.loginFile})` };
  return { usable: false, how: NO_MODEL_FIX };
}

/** Without a key or endpoint Codex uses the user's `codex login`, which lives in ~/.codex/auth.json. */
export function userLoginFile(): string | null {
  const login = path.join(os.homedir(), ".codex", "auth.json");
  return existsSync(login) ? login : null;
}
