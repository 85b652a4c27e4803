import { AppError } from "../errors/app-error";

/**
 * The options every guarded status write (`transition-*.ts`) takes: `reason`
 * says why (in the event, and on the row where the entity keeps one); `from`
 * narrows the entity's transition table for a caller that expects particular
 * states. An entity adds its own fence to this shape (a task's attempt number,
 * a pull request's head SHA), never a second way to say the same thing.
 */
export type TransitionOptions<S extends string> = { reason?: string | null; from?: readonly S[] };

/** The states a write may start from: the table's, narrowed by the caller's `from`. */
export function allowedFrom<S extends string>(table: Readonly<Record<S, readonly S[]>>, to: S, from?: readonly S[]): S[] {
  return table[to].filter((status) => !from || from.includes(status));
}

/** Zero rows updated: the conflict every transition raises, in words (`current` undefined: there is no such row). */
export function transitionConflict(entity: string, current: string | undefined, to: string): AppError {
  if (current === undefined) return new AppError("not_found", `${entity} does not exist.`);
  return new AppError("state_conflict", `${entity} is ${current.replaceAll("_", " ")}; it cannot become ${to.replaceAll("_", " ")} from there.`);
}
