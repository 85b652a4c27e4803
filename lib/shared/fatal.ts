import { EnvError } from "../env";

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "CONNECT_TIMEOUT", "28P01", "3D000"]);

/** One line for the person at the terminal; a stack only for real bugs. */
export function describeFatal(error: unknown): { line: string; stack: string | null } {
  if (error instanceof EnvError) return { line: error.message, stack: null };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      line: `Cannot reach the database at DATABASE_URL (${code}: ${message}). Check that PostgreSQL is running and the URL, user and password are right, or unset DATABASE_URL to use the embedded database.`,
      stack: null,
    };
  }
  if (error instanceof Error) return { line: error.message, stack: error.stack ?? null };
  return { line: String(error), stack: null };
}

/** For `main().catch(...)`: report and exit non-zero. */
export function exitWith(processName: string) {
  return (error: unknown): never => {
    const { line, stack } = describeFatal(error);
    process.stderr.write(`foreman ${processName}: ${line}\n`);
    if (stack && !stack.includes(line) ) process.stderr.write(`${stack}\n`);
    else if (stack) process.stderr.write(`${stack.split("\n").slice(1).join("\n")}\n`);
    process.exit(1);
  };
}
