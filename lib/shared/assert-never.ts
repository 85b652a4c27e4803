/** Exhaustiveness guard: a new union member fails to compile until handled. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
