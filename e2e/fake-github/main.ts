import { parseArgs } from "node:util";
import { FakeGitHub } from "./fake-github";

/**
 * `node --import tsx e2e/fake-github/main.ts --port 8788 --token T [--viewer foreman-bot] [--data-dir DIR] [--quiet]`
 * Point Foreman at it with GITHUB_API_URL=http://127.0.0.1:<port> and GITHUB_TOKEN=T;
 * script it through `/_fake/...` (see README.md).
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8788" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string" },
    viewer: { type: "string" },
    "data-dir": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});
if (!values.token) {
  console.error("[fake-github] --token is required");
  process.exit(2);
}

const fake = await FakeGitHub.start({
  token: values.token,
  port: Number(values.port),
  host: values.host,
  viewer: values.viewer,
  dataDir: values["data-dir"],
  log: values.quiet ? undefined : (line) => console.log(`[fake-github] ${line}`),
});
console.log(`[fake-github] ready on ${fake.url} as ${fake.viewer}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void fake.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
