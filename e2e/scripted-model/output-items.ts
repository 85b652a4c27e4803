import { assertNever } from "../../lib/shared/assert-never";
import type { ScriptedItem } from "./scenario";

/**
 * Turns a scenario's shorthand into Responses API output items, shaped as
 * codex-cli 0.163 reads them: tools as `function_call` (exec_command,
 * update_plan) or `custom_tool_call` (apply_patch), answers as `message`.
 */
export function toOutputItem(item: ScriptedItem, id: string): Record<string, unknown> {
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
    case "raw":
      return item.item;
    default:
      return assertNever(item, "scripted item");
  }
}

function assistantMessage(text: string, id: string) {
  return { type: "message", role: "assistant", id: `msg_${id}`, content: [{ type: "output_text", text, annotations: [] }] };
}
