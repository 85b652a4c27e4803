import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../lib/env";

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), "foreman-env-"));

describe("parseEnv", () => {
  it("applies the documented defaults (DESIGN.md §7)", () => {
    const dir = dataDir();
    const env = parseEnv({ FOREMAN_DATA_DIR: dir });
    expect(env).toMatchObject({
      databaseUrl: undefined,
      dataDir: dir,
      host: "127.0.0.1",
      port: 3000,
      publicUrl: "http://127.0.0.1:3000",
      githubApiUrl: "https://api.github.com",
      maxWorkers: 8,
      codexMemoryMb: 2048,
      modelBaseUrl: undefined,
      githubToken: undefined,
    });
  });

  it("names the variable and the bad value in one line for PORT=abc", () => {
    expect(() => parseEnv({ PORT: "abc", FOREMAN_DATA_DIR: dataDir() })).toThrowError(
      new EnvError('Bad configuration: PORT must be a whole number from 1 to 65535 (got "abc").'),
    );
  });

  it.each([
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://x@y/z"],
    ["FOREMAN_PUBLIC_URL", "not a url"],
    ["FOREMAN_MAX_WORKERS", "0"],
    ["FOREMAN_CODEX_MEMORY_MB", "512"],
    ["GITHUB_API_URL", "api.github.com"],
  ])("rejects %s=%s with a message naming it", (name, value) => {
    expect(() => parseEnv({ [name]: value, FOREMAN_DATA_DIR: dataDir() })).toThrowError(new RegExp(`^Bad configuration: ${name} `));
  });

  it("never echoes a secret's value in the message", () => {
    expect(() => parseEnv({ FOREMAN_SECRET: "short-secret", FOREMAN_DATA_DIR: dataDir() })).toThrowError(
      /^Bad configuration: FOREMAN_SECRET must be at least 32 characters[^"]*\.$/,
    );
  });

  it("treats empty strings as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", GITHUB_TOKEN: " ", FOREMAN_DATA_DIR: dataDir() });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.githubToken).toBeUndefined();
  });

  it("generates FOREMAN_SECRET once into the data dir and reuses it", () => {
    const dir = dataDir();
    const first = parseEnv({ FOREMAN_DATA_DIR: dir }).secret;
    const file = path.join(dir, "secret");
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(64);
    expect(parseEnv({ FOREMAN_DATA_DIR: dir }).secret).toBe(first);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
  });

  it("prefers an explicit FOREMAN_SECRET and writes nothing", () => {
    const dir = dataDir();
    const secret = "x".repeat(40);
    expect(parseEnv({ FOREMAN_SECRET: secret, FOREMAN_DATA_DIR: dir }).secret).toBe(secret);
    expect(existsSync(path.join(dir, "secret"))).toBe(false);
  });

  it("derives the public URL from HOST and PORT, with a browsable host for 0.0.0.0", () => {
    expect(parseEnv({ HOST: "0.0.0.0", PORT: "8080", FOREMAN_DATA_DIR: dataDir() }).publicUrl).toBe("http://127.0.0.1:8080");
    expect(parseEnv({ FOREMAN_PUBLIC_URL: "https://foreman.example.com/", FOREMAN_DATA_DIR: dataDir() }).publicUrl).toBe(
      "https://foreman.example.com",
    );
  });
});
