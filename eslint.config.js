import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { roomsPlugin } from "./scripts/eslint-rooms.js";

export default tseslint.config(
  { ignores: ["node_modules/", ".scratch/", ".next/", ".foreman/", "test-results/", "playwright-report/", "db/migrations/", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", Buffer: "readonly", globalThis: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through lib/env.ts (DESIGN.md §7)." },
      ],
    },
  },
  {
    // The one module that parses the environment, and test/tool configuration.
    files: ["lib/env.ts", "proxy.ts", "playwright.config.ts", "vitest.config.ts", "scripts/check-compose.ts", "tests/**", "e2e/**", "bench/**", "scripts/test.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // The runner never imports the web app, and its rooms import one way (scripts/eslint-rooms.js).
    files: ["worker-runner/**"],
    plugins: { rooms: roomsPlugin },
    rules: {
      "no-restricted-imports": ["error", { patterns: ["**/app/**", "**/components/**", "@/app/*", "@/components/*"] }],
      "rooms/one-way-rooms": "error",
    },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/db/**", "**/lib/server/**", "**/worker-runner/**"] }] },
  },
);
