export const QUESTION_STATUSES = ["open", "answered"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** Where a question came from: the scope review, a review comment, or the manager at a heartbeat. */
export const QUESTION_SOURCES = ["review", "comment", "manager"] as const;
