import type { QuestionStatus } from "./status";

/** Allowed "from" states per target: a question is answered once. */
export const QUESTION_TRANSITIONS = {
  open: [],
  answered: ["open"],
} as const satisfies Record<QuestionStatus, readonly QuestionStatus[]>;
