import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readPosition } from "../../e2e/scripted-model/conversation";
import { toOutputItem } from "../../e2e/scripted-model/output-items";
import { WORKER_SCENARIOS, workerReport } from "../../e2e/scripted-model/scenarios/workers";
import { scenarioSchema } from "../../e2e/scripted-model/scenario";
import { OUTPUT_TAIL_MAX } from "../../lib/events/types";
import { parseModelJson } from "../../lib/reports/parse-model-json";
import { toStrictJsonSchema } from "../../lib/reports/strict-json-schema";
import { workerReportJsonSchema, workerReportSchema } from "../../lib/reports/worker-report";
import { filesOutsideScope } from "../../lib/tasks/scope";
import { toEventPayloads, type TurnState, usageDifference } from "../../worker-runner/codex/agent-events";

type JsonNode = { [key: string]: unknown };

/** Every object node of a JSON Schema, with where it sits. */
function objectNodes(node: unknown, where = "$"): [string, JsonNode][] {
  if (Array.isArray(node)) return node.flatMap((item, index) => objectNodes(item, `${where}[${index}]`));
  if (!node || typeof node !== "object") return [];
  const object = node as JsonNode;
  const own: [string, JsonNode][] = object.type === "object" ? [[where, object]] : [];
  return [...own, ...Object.entries(object).flatMap(([key, value]) => objectNodes(value, `${where}.${key}`))];
}

describe("the WorkerReport contract", () => {
  it("is a strict-mode JSON Schema: every property required, no extra properties, no size keywords", () => {
    const objects = objectNodes(workerReportJsonSchema);
    expect(objects.map(([where]) => where)).toEqual(["$", "$.properties.verification.items", "$.properties.handoff"]);
    for (const [where, node] of objects) {
      expect(node.additionalProperties, where).toBe(false);
      expect(node.required, where).toEqual(Object.keys(node.properties as object));
    }
    expect(JSON.stringify(workerReportJsonSchema)).not.toMatch(/maxLength|maxItems|\$schema/);
    expect(Object.keys(workerReportJsonSchema.properties as object)).toEqual([
      "status",
      "summary",
      "filesChanged",
      "verification",
      "handoff",
      "openIssues",
      "recommendedNextAction",
    ]);
  });

  it("refuses a schema with an optional field (strict mode has none: use null)", () => {
    expect(() => toStrictJsonSchema(z.object({ a: z.string().optional() }))).toThrow(/a must be required/);
  });

  it("parses a model's answer into one readable line when it is wrong", () => {
    expect(parseModelJson(workerReportSchema, JSON.stringify(workerReport()))).toEqual({ ok: true, value: workerReport() });
    expect(parseModelJson(workerReportSchema, "done!")).toMatchObject({ ok: false, error: expect.stringMatching(/^The answer is not valid JSON/) });
    expect(parseModelJson(workerReportSchema, "")).toEqual({ ok: false, error: "The answer was empty." });
    const missing = parseModelJson(workerReportSchema, JSON.stringify({ ...workerReport(), handoff: { branch: null } }));
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining("handoff.prUrl") });
  });
});

describe("SDK events as run events", () => {
  const state = (): TurnState => ({
    attempt: 2,
    turn: 1,
    purpose: "work",
    worktree: "/data/worktrees/abc/T1",
    resumed: false,
    threadId: null,
    finalMessage: null,
    failure: null,
    cumulative: null,
    lastTodo: null,
  });

  it("cap command output to its tail and make edited paths relative to the worktree", () => {
    const turn = state();
    const output = `${"x".repeat(50_000)}\nthe end`;
    const [finished] = toEventPayloads(
      { type: "item.completed", item: { id: "item_1", type: "command_execution", command: "npm test", aggregated_output: output, exit_code: 1, status: "failed" } },
      turn,
    );
    expect(finished).toMatchObject({ type: "agent.command_finished", exitCode: 1, status: "failed" });
    const tail = (finished as { outputTail: string }).outputTail;
    expect(tail.length).toBeLessThanOrEqual(OUTPUT_TAIL_MAX);
    expect(tail.endsWith("the end")).toBe(true);
    const [edit] = toEventPayloads(
      { type: "item.completed", item: { id: "item_2", type: "file_change", status: "completed", changes: [{ path: "/data/worktrees/abc/T1/src/a.ts", kind: "update" }] } },
      turn,
    );
    expect(edit).toMatchObject({ type: "agent.file_changed", changes: [{ path: "src/a.ts", kind: "update" }] });
  });

  it("record a todo list only when it changes, and keep the final message for the report", () => {
    const turn = state();
    const todo = { id: "item_3", type: "todo_list", items: [{ text: "read", completed: false }] };
    expect(toEventPayloads({ type: "item.started", item: todo }, turn)).toHaveLength(1);
    expect(toEventPayloads({ type: "item.completed", item: todo }, turn)).toHaveLength(0);
    expect(toEventPayloads({ type: "item.updated", item: { ...todo, items: [{ text: "read", completed: true }] } }, turn)).toHaveLength(1);
    toEventPayloads({ type: "item.completed", item: { id: "item_4", type: "agent_message", text: '{"status":"done"}' } }, turn);
    expect(turn.finalMessage).toBe('{"status":"done"}');
    expect(toEventPayloads({ type: "thread.started", thread_id: "th_9" }, turn)).toEqual([{ type: "agent.thread_started", attempt: 2, threadId: "th_9", resumed: false }]);
  });

  it("store a turn's own tokens as the difference of the thread's running totals", () => {
    const previous = { input: 2000, cachedInput: 400, output: 100, reasoningOutput: 20 };
    expect(usageDifference({ input: 3000, cachedInput: 600, output: 150, reasoningOutput: 30 }, previous)).toEqual({
      input: 1000,
      cachedInput: 200,
      output: 50,
      reasoningOutput: 10,
    });
    expect(usageDifference(previous, null)).toEqual(previous);
  });
});

describe("declared scopes", () => {
  it("flag changed files no glob covers", () => {
    expect(filesOutsideScope(["src/a.ts", "src/deep/b.ts", "docs/x.md", "README.md"], ["src/**", "README.md"])).toEqual(["docs/x.md"]);
    expect(filesOutsideScope(["a.ts"], [])).toEqual([]);
  });
});

describe("the scripted model", () => {
  const prompt = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
  const context = { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>\n</environment_context>" }] };

  it("reads a request's turn and step from the history codex re-sends", () => {
    expect(readPosition([context, prompt("[scenario:x] go")])).toEqual({ prompts: ["[scenario:x] go"], turn: 0, response: 0 });
    const afterTool = [
      context,
      prompt("[scenario:x] go"),
      { type: "reasoning", summary: [] },
      { type: "function_call", call_id: "c1", name: "exec_command", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "ok" },
    ];
    expect(readPosition(afterTool)).toMatchObject({ turn: 0, response: 1 });
    const resumed = [...afterTool, { type: "message", role: "assistant", content: [{ type: "output_text", text: "{}" }] }, prompt("again")];
    expect(readPosition(resumed)).toEqual({ prompts: ["[scenario:x] go", "again"], turn: 1, response: 0 });
  });

  it("plays tools the way codex-cli 0.163 names them", () => {
    expect(toOutputItem({ type: "exec", cmd: "ls", yieldMs: 500 }, "a")).toEqual({
      type: "function_call",
      id: "fc_a",
      call_id: "call_a",
      name: "exec_command",
      arguments: '{"cmd":"ls","yield_time_ms":500}',
    });
    expect(toOutputItem({ type: "patch", patch: "*** Begin Patch\n*** End Patch\n" }, "b")).toMatchObject({ type: "custom_tool_call", name: "apply_patch" });
    expect(toOutputItem({ type: "plan", steps: [{ step: "s", status: "pending" }] }, "c")).toMatchObject({ type: "function_call", name: "update_plan" });
  });

  it("ships worker scenarios that are valid and reachable by distinct markers", () => {
    const parsed = WORKER_SCENARIOS.map((scenario) => scenarioSchema.parse(scenario));
    expect(new Set(parsed.map((scenario) => scenario.match)).size).toBe(parsed.length);
  });
});
