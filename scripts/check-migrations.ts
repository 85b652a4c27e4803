import { execFileSync } from "node:child_process";

/**
 * Migration drift check: regenerating from the schema must change nothing in
 * db/migrations (a schema edit without its committed migration fails here).
 */
const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

run("npx", ["drizzle-kit", "generate", "--name", "drift-check"]);
const status = run("git", ["status", "--porcelain", "--", "db/migrations"]).trim();
if (status) {
  console.error("db/migrations is out of date with db/schema (drizzle-kit generate changed):");
  console.error(status);
  console.error("Run `npm run db:generate`, review the new migration and commit it.");
  // Leave the tree as it was: the check must not leave files behind.
  run("git", ["checkout", "--", "db/migrations"]);
  run("git", ["clean", "-fdq", "--", "db/migrations"]);
  process.exit(1);
}
console.log("db/migrations matches db/schema");
