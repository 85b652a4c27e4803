/**
 * Reads where a Responses API request stands in its thread: the user prompts
 * so far and how many model answers followed the latest one. Codex re-sends the
 * whole history with every request (and after a resume), so this needs no state.
 */

export type InputItem = { type?: unknown; role?: unknown; content?: unknown; [key: string]: unknown };

const MODEL_OUTPUT_TYPES = new Set(["reasoning", "function_call", "custom_tool_call", "local_shell_call", "web_search_call"]);

function isModelOutput(item: InputItem): boolean {
  if (item.type === "message") return item.role === "assistant";
  return typeof item.type === "string" && MODEL_OUTPUT_TYPES.has(item.type);
}

/** The text of a message item's input_text/output_text parts. */
export function messageText(item: InputItem): string {
  if (typeof item.content === "string") return item.content;
  if (!Array.isArray(item.content)) return "";
  return item.content
    .map((part: unknown) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : ""))
    .join("");
}

/**
 * Codex adds context as user messages too (`<environment_context>`,
 * `<user_instructions>`, `<turn_aborted>`, AGENTS.md): those are not prompts.
 */
function isPrompt(item: InputItem): boolean {
  if (item.type !== "message" || item.role !== "user") return false;
  const text = messageText(item).trim();
  if (text.startsWith("# AGENTS.md instructions")) return false;
  return !(text.startsWith("<") && text.endsWith(">"));
}

export type Position = {
  /** Every user prompt in the thread, oldest first. */
  prompts: string[];
  /** 0-based index of the turn this request belongs to (prompts.length - 1). */
  turn: number;
  /** 0-based index of this model answer within the turn. */
  response: number;
};

export function readPosition(input: InputItem[]): Position {
  const prompts: string[] = [];
  let lastPrompt = -1;
  input.forEach((item, index) => {
    if (isPrompt(item)) {
      prompts.push(messageText(item));
      lastPrompt = index;
    }
  });
  let response = 0;
  let inOutput = false;
  for (const item of input.slice(lastPrompt + 1)) {
    const output = isModelOutput(item);
    if (output && !inOutput) response++;
    inOutput = output;
  }
  return { prompts, turn: Math.max(prompts.length - 1, 0), response };
}
