import path from "node:path";
import { z } from "zod";
import { type EventPayload, OUTPUT_TAIL_MAX, type TokenUsage, type TurnPurpose } from "../../lib/events/types";
import { RAW_ANSWER_MAX } from "../../lib/reports/parse-model-json";
import { head, tail } from "../../lib/shared/cap";

/**
 * The SDK's events (codex's JSONL) read defensively: the shapes we use are
 * checked with zod, anything else is ignored; every text is capped because it
 * carries model and tool output (untrusted).
 */
const str = z.string().catch("");
const item = z.looseObject({ id: str, type: str });
const commandItem = z.looseObject({
  id: str,
  command: str,
  aggregated_output: str,
  exit_code: z.number().int().nullable().optional().catch(null),
  status: str,
});
const fileChangeItem = z.looseObject({
  id: str,
  status: str,
  changes: z.array(z.looseObject({ path: str, kind: z.enum(["add", "delete", "update"]).catch("update") })).catch([]),
});
const todoItem = z.looseObject({ items: z.array(z.looseObject({ text: str, completed: z.boolean().catch(false) })).catch([]) });
const textItem = z.looseObject({ text: str });
const mcpItem = z.looseObject({ server: str, tool: str, status: str });
const errorItem = z.looseObject({ message: str });

const usageSchema = z.looseObject({
  input_tokens: z.number().catch(0),
  cached_input_tokens: z.number().catch(0),
  output_tokens: z.number().catch(0),
  reasoning_output_tokens: z.number().catch(0),
});

export const sdkEventSchema = z.looseObject({
  type: z.string(),
  thread_id: z.string().optional(),
  item: item.optional(),
  usage: usageSchema.optional(),
  error: z.looseObject({ message: str }).optional(),
  message: z.string().optional(),
});
export type SdkEvent = z.infer<typeof sdkEventSchema>;

/** What one turn has seen so far. */
export type TurnState = {
  attempt: number;
  turn: number;
  purpose: TurnPurpose;
  worktree: string;
  resumed: boolean;
  threadId: string | null;
  finalMessage: string | null;
  failure: string | null;
  cumulative: TokenUsage | null;
  lastTodo: string | null;
};

export function toUsage(usage: z.infer<typeof usageSchema>): TokenUsage {
  const whole = (value: number) => Math.max(0, Math.round(value));
  return {
    input: whole(usage.input_tokens),
    cachedInput: whole(usage.cached_input_tokens),
    output: whole(usage.output_tokens),
    reasoningOutput: whole(usage.reasoning_output_tokens),
  };
}

/** This turn's usage: codex reports the thread's running total. */
export function usageDifference(current: TokenUsage, previous: TokenUsage | null): TokenUsage {
  const minus = (key: keyof TokenUsage) => Math.max(0, current[key] - (previous?.[key] ?? 0));
  return { input: minus("input"), cachedInput: minus("cachedInput"), output: minus("output"), reasoningOutput: minus("reasoningOutput") };
}

function relative(worktree: string, file: string): string {
  const inside = path.isAbsolute(file) ? path.relative(worktree, file) : file;
  return head(inside.startsWith("..") ? file : inside, 1000);
}

/**
 * The run events one SDK event becomes (none for events that only show
 * liveness). `turn.completed` is left to the caller, which knows the thread's
 * previous usage.
 */
export function toEventPayloads(raw: SdkEvent, state: TurnState): EventPayload[] {
  const { attempt } = state;
  switch (raw.type) {
    case "thread.started":
      state.threadId = raw.thread_id ?? state.threadId;
      return state.threadId ? [{ type: "agent.thread_started", attempt, threadId: head(state.threadId, 200), resumed: state.resumed }] : [];
    case "turn.started":
      return [{ type: "agent.turn_started", attempt, turn: state.turn, purpose: state.purpose }];
    case "turn.failed": {
      state.failure = head(raw.error?.message || "The turn failed.", 4000);
      return [{ type: "agent.turn_failed", attempt, turn: state.turn, message: state.failure }];
    }
    case "error":
      return [{ type: "agent.error", attempt, message: head(raw.message || "Codex reported an error.", 4000), fatal: false }];
    case "item.started":
    case "item.updated":
    case "item.completed":
      return raw.item ? itemPayloads(raw.type, raw.item, state) : [];
    default:
      return [];
  }
}

function itemPayloads(phase: "item.started" | "item.updated" | "item.completed", raw: z.infer<typeof item>, state: TurnState): EventPayload[] {
  const { attempt } = state;
  const completed = phase === "item.completed";
  switch (raw.type) {
    case "command_execution": {
      const command = commandItem.parse(raw);
      if (phase === "item.started") return [{ type: "agent.command_started", attempt, itemId: head(command.id, 200), command: head(command.command, 2000) }];
      if (!completed) return [];
      return [
        {
          type: "agent.command_finished",
          attempt,
          itemId: head(command.id, 200),
          command: head(command.command, 2000),
          exitCode: command.exit_code ?? null,
          status: head(command.status, 40),
          outputTail: tail(command.aggregated_output, OUTPUT_TAIL_MAX),
        },
      ];
    }
    case "file_change": {
      if (!completed) return [];
      const change = fileChangeItem.parse(raw);
      return [
        {
          type: "agent.file_changed",
          attempt,
          itemId: head(change.id, 200),
          status: head(change.status, 40),
          changes: change.changes.slice(0, 200).map((entry) => ({ path: relative(state.worktree, entry.path), kind: entry.kind })),
        },
      ];
    }
    case "todo_list": {
      const items = todoItem.parse(raw).items.slice(0, 100).map((entry) => ({ text: head(entry.text, 500), completed: entry.completed }));
      const key = JSON.stringify(items);
      // Codex repeats the list when the turn ends; only changes are news.
      if (key === state.lastTodo) return [];
      state.lastTodo = key;
      return [{ type: "agent.todo_list", attempt, items }];
    }
    case "reasoning": {
      if (!completed) return [];
      const text = textItem.parse(raw).text.trim();
      return text ? [{ type: "agent.reasoning", attempt, text: head(text, 4000) }] : [];
    }
    case "agent_message": {
      if (!completed) return [];
      const text = textItem.parse(raw).text;
      state.finalMessage = head(text, RAW_ANSWER_MAX);
      return [{ type: "agent.message", attempt, text: head(text, OUTPUT_TAIL_MAX) }];
    }
    case "mcp_tool_call": {
      if (!completed) return [];
      const call = mcpItem.parse(raw);
      return [{ type: "agent.tool_call", attempt, tool: head(`${call.server}.${call.tool}`, 200), status: head(call.status, 40) }];
    }
    case "web_search":
      return completed ? [{ type: "agent.tool_call", attempt, tool: "web_search", status: "completed" }] : [];
    case "error":
      return completed ? [{ type: "agent.error", attempt, message: head(errorItem.parse(raw).message || "error", 4000), fatal: false }] : [];
    default:
      return [];
  }
}
