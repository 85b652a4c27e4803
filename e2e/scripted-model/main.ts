import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type ScenarioInput, scenarioSchema } from "./scenario";
import { SCENARIOS } from "./scenarios";
import { improvise } from "./improvise";
import { startScriptedModel } from "./server";

/**
 * `node --import tsx e2e/scripted-model/main.ts [--port 8787] [--improvise] [--scenarios dir-or-file.json …]`
 * Serves the built-in scenarios plus JSON scenario files; point Foreman at it
 * with FOREMAN_MODEL_BASE_URL=http://127.0.0.1:<port>/v1 and FOREMAN_MODEL=gpt-5.5.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    scenarios: { type: "string", multiple: true, default: [] },
    quiet: { type: "boolean", default: false },
    /** Answer threads no scenario selects as the demo does (improvise.ts). */
    improvise: { type: "boolean", default: false },
  },
});

function loadJson(target: string): ScenarioInput[] {
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((name) => name.endsWith(".json"))
        .map((name) => path.join(target, name))
    : [target];
  return files.map((file) => scenarioSchema.parse(JSON.parse(readFileSync(file, "utf8"))));
}

const scenarios = [...SCENARIOS, ...values.scenarios.flatMap(loadJson)];
const model = await startScriptedModel({
  scenarios,
  port: Number(values.port),
  host: values.host,
  improvise: values.improvise ? improvise : undefined,
  log: values.quiet ? undefined : (line) => console.log(`[scripted-model] ${line}`),
});
console.log(`[scripted-model] ${scenarios.length} scenario(s) on ${model.baseUrl}`);
const stop = () => void model.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
