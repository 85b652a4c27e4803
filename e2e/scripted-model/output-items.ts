import { assertNever } from "../../lib/shared/assert-never";
import type { ScriptedItem } from "./scenario";

/**
 * Turns a scenario's shorthand into Responses API output items, shaped as
 * codex-cli 0.163 reads them: tools as `function_call` (exec_command,
 * update_plan) or `custom_tool_call` (apply_patch), answers as `message`.
 */
export function toOutputItem(item: ScriptedItem, id: string, prompt = ""): Record<string, unknown> {
  switch (item.type) {
    case "exec":
      return {
        type: "function_call",
        id: `fc_${id}`,
        call_id: `call_${id}`,
        name: "exec_command",
        arguments: JSON.stringify({ cmd: item.cmd, ...(item.yieldMs ? { yield_time_ms: item.yieldMs } : {}) }),
      };
    case "patch":
      return { type: "custom_tool_call", id: `ctc_${id}`, call_id: `call_${id}`, name: "apply_patch", input: item.patch };
    case "plan":
      return {
        type: "function_call",
        id: `fc_${id}`,
        call_id: `call_${id}`,
        name: "update_plan",
        arguments: JSON.stringify({ plan: item.steps, ...(item.explanation ? { explanation: item.explanation } : {}) }),
      };
    case "reasoning":
      return { type: "reasoning", id: `rs_${id}`, summary: [{ type: "summary_text", text: item.summary }] };
    case "message":
      return assistantMessage(item.text, id);
    case "json":
      return assistantMessage(JSON.stringify(item.value), id);
    case "triage":
      return assistantMessage(JSON.stringify(triageFromPrompt(prompt)), id);
    case "raw":
      return item.item;
    default:
      return assertNever(item, "scripted item");
  }
}

function assistantMessage(text: string, id: string) {
  return { type: "message", role: "assistant", id: `msg_${id}`, content: [{ type: "output_text", text, annotations: [] }] };
}

const FOLLOW_UP_CATEGORIES = new Set(["bug", "style", "test_request", "documentation"]);

/** A stand-in for the manager's judgement: the category a comment names with `[category:…]`. */
export function triageFromPrompt(prompt: string) {
  const blocks = prompt.split(/^commentId: /m).slice(1);
  return {
    items: blocks.map((block) => {
      const commentId = block.split("\n")[0]!.trim();
      const category = /\[category:([a-z_]+)\]/.exec(block)?.[1] ?? "unclear";
      const known = ["bug", "style", "test_request", "architecture", "documentation", "unclear"].includes(category) ? category : "unclear";
      return {
        commentId,
        category: known,
        action: `Scripted triage: ${known}.`,
        followUpGoal: FOLLOW_UP_CATEGORIES.has(known) ? `Address the ${known.replace("_", " ")} comment.` : known === "architecture" ? "Make the design change." : null,
      };
    }),
  };
}
