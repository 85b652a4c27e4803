export const QUESTION_STATUSES = ["open", "answered", "dismissed"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** Where a question came from: the scope review, a review comment, a worker, or the manager at a heartbeat. */
export const QUESTION_SOURCES = ["review", "comment", "worker", "manager"] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];
