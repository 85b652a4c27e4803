import { checkModel, userLoginFile } from "../../lib/model-check";
import type { AgentRuntime } from "./runtime";

/**
 * Why no turn can reach a model right now (no login, key or endpoint; an
 * endpoint that does not answer), checked before a run or task starts work:
 * a run without a model fails at once with the fix instead of reconnecting
 * for ever. Null when a model is there.
 */
export async function modelProblem(runtime: AgentRuntime): Promise<string | null> {
  const model = await checkModel({ baseUrl: runtime.modelBaseUrl, apiKey: runtime.apiKey, loginFile: runtime.usesUserLogin ? userLoginFile() : null });
  return model.usable ? null : `The model cannot be reached. ${model.how}`;
}
