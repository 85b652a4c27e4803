import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type InputItem, type Position, readPosition } from "./conversation";
import { IMPROVISED_SCENARIO } from "./improvise";
import { toOutputItem } from "./output-items";
import { DEFAULT_USAGE, type Scenario, type ScenarioInput, type ScriptedFault, type ScriptedResponse, scenarioSchema } from "./scenario";

/**
 * A scripted OpenAI Responses API (node:http, no framework) that plays
 * scenarios to the real codex binary: `POST /v1/responses` answers with SSE,
 * the websocket upgrade `GET /v1/responses` with 426 so codex falls back to
 * HTTP. Every request is recorded for tests to inspect.
 */

export type RecordedRequest = {
  seq: number;
  at: Date;
  method: string;
  path: string;
  /** The thread (codex's prompt_cache_key / thread-id header), when known. */
  threadId: string | null;
  /** The parsed JSON body, or null when there was none. */
  body: Record<string, unknown> | null;
  scenario: string | null;
  position: Position | null;
  /** When the answer's stream ended (or it failed); null while it is still being answered. */
  endedAt: Date | null;
  /** What the server did: "answered", a fault, or an error. */
  outcome: "answered" | ScriptedFault | "no_scenario" | "script_exhausted" | "websocket_refused" | "rejected";
};

export type ScriptedModel = {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The provider base URL codex wants: `${url}/v1`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Adds (or replaces, by name) a scenario. */
  add(scenario: ScenarioInput): void;
  /** Requests that a scenario answered (or faulted), oldest first. */
  requestsFor(scenarioName: string): RecordedRequest[];
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function startScriptedModel(
  options: {
    scenarios?: ScenarioInput[];
    port?: number;
    host?: string;
    log?: (line: string) => void;
    /** Answers a thread no scenario's marker selects (the demo: e2e/scripted-model/improvise.ts); null falls through to the error. */
    improvise?: (position: Position) => ScriptedResponse | null;
  } = {},
): Promise<ScriptedModel> {
  const scenarios = new Map<string, Scenario>();
  const add = (input: ScenarioInput) => {
    const scenario = scenarioSchema.parse(input);
    scenarios.set(scenario.name, scenario);
  };
  for (const scenario of options.scenarios ?? []) add(scenario);

  const requests: RecordedRequest[] = [];
  // Faults already served, per thread step: a fault is played once per attempt.
  const faultsServed = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const log = options.log ?? (() => {});

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    const record: RecordedRequest = {
      seq: requests.length + 1,
      at: new Date(),
      method: req.method ?? "GET",
      path,
      threadId: null,
      body: null,
      scenario: null,
      position: null,
      outcome: "rejected",
      endedAt: null,
    };
    requests.push(record);
    res.once("close", () => (record.endedAt = new Date()));

    if (path.endsWith("/responses") && req.method === "GET") {
      // The websocket transport: refuse it, so codex streams over HTTP.
      record.outcome = "websocket_refused";
      res.writeHead(426, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "websockets are not supported by the scripted model" } }));
      return;
    }
    if (!path.endsWith("/responses") || req.method !== "POST") {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `scripted model: no route ${req.method} ${path}` } }));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return sendError(res, 400, "scripted model: the request body is not JSON");
    }
    record.body = body;
    record.threadId =
      (typeof body.prompt_cache_key === "string" ? body.prompt_cache_key : null) ?? headerValue(req, "thread-id") ?? headerValue(req, "session-id");
    const input = Array.isArray(body.input) ? (body.input as InputItem[]) : [];
    const position = readPosition(input);
    record.position = position;

    const scenario = pickScenario([...scenarios.values()], position.prompts[0] ?? "");
    const improvised = scenario ? null : (options.improvise?.(position) ?? null);
    if (improvised) {
      record.scenario = IMPROVISED_SCENARIO;
      record.outcome = "answered";
      log(`${IMPROVISED_SCENARIO} turn ${position.turn} response ${position.response}`);
      await play(res, improvised, undefined, `t${position.turn}_r${position.response}_${record.seq}`, position.prompts.at(-1) ?? "");
      return;
    }
    if (!scenario) {
      record.outcome = "no_scenario";
      const first = (position.prompts[0] ?? "").slice(0, 200);
      log(`no scenario matches the prompt: ${JSON.stringify(first)}`);
      return sendError(res, 400, `scripted model: no scenario matches the prompt ${JSON.stringify(first)}`);
    }
    record.scenario = scenario.name;
    const latest = position.prompts.at(-1) ?? "";
    const turn =
      scenario.turns.find((candidate) => candidate.when !== undefined && latest.includes(candidate.when)) ??
      scenario.turns[Math.min(position.turn, scenario.turns.length - 1)]!;
    const response = turn.responses[position.response];
    if (!response) {
      record.outcome = "script_exhausted";
      log(`${scenario.name}: turn ${position.turn} has no response ${position.response}`);
      return sendError(res, 400, `scripted model: scenario "${scenario.name}" has no response ${position.response} in turn ${position.turn}`);
    }

    const stepKey = `${record.threadId ?? "?"}:${position.turn}:${position.response}`;
    const served = faultsServed.get(stepKey) ?? 0;
    const fault = response.faults[served];
    if (fault) faultsServed.set(stepKey, served + 1);
    record.outcome = fault ?? "answered";
    log(`${scenario.name} turn ${position.turn} response ${position.response}: ${record.outcome}`);
    const id = `t${position.turn}_r${position.response}_${record.seq}`;
    await play(res, response, fault, id, latest);
  }

  async function play(res: ServerResponse, response: ScriptedResponse, fault: ScriptedFault | undefined, id: string, latest: string) {
    if (fault === "hang") return; // never answer: the client has to give up on its own
    if (fault === "http500") return sendError(res, 500, "scripted model: internal error (scripted fault)");
    if (fault === "http429") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ error: { type: "rate_limit_exceeded", message: "scripted model: rate limited (scripted fault)" } }));
      return;
    }
    if (response.delayMs > 0) await wait(response.delayMs);
    if (res.destroyed) return;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const responseId = `resp_${id}`;
    const send = (event: Record<string, unknown>) => res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
    send({ type: "response.created", response: { id: responseId } });
    if (fault === "mute") return; // silent after the headers: the stream stays open with nothing in it
    const items = response.items.map((item, index) => toOutputItem(item, `${id}_${index}`, latest));
    const streamMs = response.streamMs ?? 0;
    if (streamMs > 0 && !(await streamThinking(send, `${id}_thinking`, streamMs, wait, () => res.destroyed))) return;
    const offset = streamMs > 0 ? 1 : 0;
    for (const [position, item] of items.entries()) {
      const index = position + offset;
      if (response.itemDelayMs > 0) await wait(response.itemDelayMs);
      if (res.destroyed) return;
      if (fault === "cut" && position === Math.floor(items.length / 2)) {
        res.socket?.destroy();
        return;
      }
      send({ type: "response.output_item.done", output_index: index, item });
    }
    if (fault === "cut") {
      res.socket?.destroy();
      return;
    }
    const usage = response.usage ?? DEFAULT_USAGE;
    send({
      type: "response.completed",
      response: {
        id: responseId,
        usage: {
          input_tokens: usage.input,
          input_tokens_details: { cached_tokens: usage.cached },
          output_tokens: usage.output,
          output_tokens_details: { reasoning_tokens: usage.reasoning },
          total_tokens: usage.input + usage.output,
        },
      },
    });
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) sendError(res, 500, "scripted model: internal error");
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    add,
    requestsFor: (name) => requests.filter((request) => request.scenario === name),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How often a streamed answer sends a delta (scenario `streamMs`). */
export const STREAM_DELTA_EVERY_MS = 250;

/**
 * A reasoning item streamed over `ms`: added, its summary in deltas one every
 * STREAM_DELTA_EVERY_MS, then done (output index 0). False when the client left.
 */
async function streamThinking(
  send: (event: Record<string, unknown>) => void,
  id: string,
  ms: number,
  wait: (ms: number) => Promise<void>,
  gone: () => boolean,
): Promise<boolean> {
  const itemId = `rs_${id}`;
  send({ type: "response.output_item.added", output_index: 0, item: { type: "reasoning", id: itemId, summary: [] } });
  send({ type: "response.reasoning_summary_part.added", item_id: itemId, output_index: 0, summary_index: 0, part: { type: "summary_text", text: "" } });
  const deltas = Math.max(1, Math.floor(ms / STREAM_DELTA_EVERY_MS));
  let text = "";
  for (let i = 0; i < deltas; i++) {
    await wait(ms / deltas);
    if (gone()) return false;
    const delta = `${i === 0 ? "Thinking" : ""} step ${i + 1}.`;
    text += delta;
    send({ type: "response.reasoning_summary_text.delta", item_id: itemId, output_index: 0, summary_index: 0, delta });
  }
  send({ type: "response.output_item.done", output_index: 0, item: { type: "reasoning", id: itemId, summary: [{ type: "summary_text", text }] } });
  return true;
}

function sendError(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { type: "scripted_model_error", message } }));
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === "string" ? value : null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The scenario whose marker occurs earliest in the thread's first prompt: a
 * prompt that quotes another thread's goal (a triage prompt quoting a
 * worker's marker) is still answered by the scenario named at its start.
 */
function pickScenario(candidates: Scenario[], prompt: string): Scenario | undefined {
  let best: { scenario: Scenario; at: number } | undefined;
  for (const scenario of candidates) {
    const at = prompt.indexOf(scenario.match);
    if (at >= 0 && (!best || at < best.at)) best = { scenario, at };
  }
  return best?.scenario;
}
