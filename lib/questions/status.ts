export const QUESTION_STATUSES = ["open", "answered", "dismissed"] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

/** Where a question came from: the scope review, a review comment, or a worker. */
export const QUESTION_SOURCES = ["review", "comment", "worker"] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];
