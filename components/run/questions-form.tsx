"use client";

import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { inputClass } from "./panel-styles";
import type { ClientQuestion } from "./snapshot";
import { useRunAction } from "./use-run-action";

/** The manager's open questions, answered together (`POST /api/runs/:id/answers`). */
export function QuestionsForm({ runId, questions }: { runId: string; questions: ClientQuestion[] }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const filled = questions.filter((question) => (answers[question.id] ?? "").trim().length > 0);
  const action = useRunAction(runId, () =>
    callApi(`/api/runs/${runId}/answers`, {
      method: "POST",
      body: JSON.stringify({ answers: filled.map((question) => ({ questionId: question.id, text: answers[question.id]!.trim() })) }),
    }),
  );
  return (
    <form
      aria-label="Answer the manager's questions"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run();
      }}
    >
      {questions.map((question) => (
        <label key={question.id} className="block space-y-1" data-testid="open-question">
          <span className="block whitespace-pre-wrap font-medium">{question.text}</span>
          {question.why ? <span className="block whitespace-pre-wrap text-xs text-zinc-500">{question.why}</span> : null}
          <textarea
            rows={3}
            value={answers[question.id] ?? ""}
            onChange={(event) => setAnswers({ ...answers, [question.id]: event.target.value })}
            className={inputClass}
          />
        </label>
      ))}
      <ErrorText>{action.error}</ErrorText>
      <Button type="submit" disabled={action.busy || filled.length === 0}>
        {action.busy ? "Sending…" : "Send answers"}
      </Button>
    </form>
  );
}
