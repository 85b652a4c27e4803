import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { answersInput } from "@/lib/plans/edit";
import { answerQuestions } from "@/lib/runs/answer-questions";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Answers to the manager's questions go back into the same manager thread. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { answers } = await readJson(request, answersInput);
  const result = await answerQuestions(getDb(), await getBoss(), runId, answers, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.answer", targetType: "run", targetId: runId, runId, details: { questions: answers.map((a) => a.questionId) } });
  return json(result);
});
