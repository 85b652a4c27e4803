import { describe, expect, it } from "vitest";
import { describeDelivery } from "../../lib/notifications/describe-delivery";
import { describeMoment, momentOfEvent } from "../../lib/notifications/moment-of-event";
import { createWebhookInput } from "../../lib/notifications/schema";
import { signWebhook, verifyWebhook } from "../../lib/notifications/sign-webhook";
import { webhookBody } from "../../lib/notifications/webhook-message";

const HEARTBEAT = "6f1c1d1e-2f3a-4b5c-8d9e-0a1b2c3d4e5f";

describe("the webhook signature", () => {
  const body = JSON.stringify({ id: "d1", moment: "failed" });
  const now = 1_800_000_000;
  const signed = { signature: signWebhook("whsec_one", now, body), timestamp: String(now), body };

  it("verifies with the endpoint's secret over the timestamp and the raw body", () => {
    expect(signed.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook("whsec_one", signed, now + 10)).toEqual({ ok: true });
  });

  it("fails with another secret, a changed body, a moved timestamp or an old message", () => {
    expect(verifyWebhook("whsec_two", signed, now)).toMatchObject({ ok: false, why: "the signature does not match" });
    expect(verifyWebhook("whsec_one", { ...signed, body: `${body} ` }, now)).toMatchObject({ ok: false });
    expect(verifyWebhook("whsec_one", { ...signed, timestamp: String(now + 1) }, now)).toMatchObject({ ok: false, why: "the signature does not match" });
    expect(verifyWebhook("whsec_one", signed, now + 3600)).toMatchObject({ ok: false, why: expect.stringContaining("replay") });
    expect(verifyWebhook("whsec_one", { ...signed, signature: null }, now)).toMatchObject({ ok: false });
  });
});

describe("the moments of the event pipe", () => {
  it("are questions, approvals, the budget, completion and failure", () => {
    expect(momentOfEvent({ type: "question.asked", questionId: HEARTBEAT, text: "Which key?" })).toMatchObject({ moment: "needs_input", group: { by: "transaction" } });
    expect(momentOfEvent({ type: "run.status_changed", from: "planning", to: "awaiting_approval", reason: "plan proposed" })?.moment).toBe("approval");
    expect(momentOfEvent({ type: "run.status_changed", from: "running", to: "paused", reason: "token budget reached: 2100 of 2000 tokens" })?.moment).toBe("budget");
    expect(momentOfEvent({ type: "run.status_changed", from: "running", to: "paused", reason: "paused by user someone" })).toBeNull();
    expect(momentOfEvent({ type: "run.status_changed", from: "running", to: "completed", reason: null })?.moment).toBe("completed");
    expect(momentOfEvent({ type: "run.status_changed", from: "planning", to: "failed", reason: "planning failed" })).toMatchObject({ moment: "failed", text: "planning failed" });
    expect(momentOfEvent({ type: "run.status_changed", from: "running", to: "cancelled", reason: null })).toBeNull();
    expect(momentOfEvent({ type: "task.review_feedback", number: 3, commentId: HEARTBEAT, kind: "review", author: "amy", category: "architecture", action: "approval", excerpt: "Use a queue" })?.moment).toBe("approval");
  });

  it("count a task as blocked only when the manager's review started nothing for it", () => {
    const decision = { type: "manager.decision", heartbeatId: HEARTBEAT, kind: "follow_up", taskKey: "T1", text: "Capped." } as const;
    expect(momentOfEvent({ ...decision, outcome: "refused" })).toMatchObject({ moment: "blocked", whileTaskBlocked: true, group: { by: "review", heartbeatId: HEARTBEAT } });
    expect(momentOfEvent({ ...decision, kind: "wait", outcome: "noted" })?.moment).toBe("blocked");
    expect(momentOfEvent({ ...decision, outcome: "applied" })).toBeNull();
    expect(momentOfEvent({ ...decision, outcome: "refused", taskKey: null })).toBeNull();
    expect(momentOfEvent({ ...decision, kind: "propose_drop", outcome: "awaiting_approval" })?.moment).toBe("approval");
    expect(momentOfEvent({ type: "task.status_changed", from: "running", to: "blocked", reason: "verification failed" })).toBeNull();
  });

  it("are said in sentences with the run's title and the task's key", () => {
    expect(describeMoment({ moment: "blocked", runTitle: "Fix billing", taskKey: "T2", text: "cap reached.", merged: 1 })).toBe("T2 of “Fix billing” is blocked and needs a human: cap reached.");
    expect(describeMoment({ moment: "needs_input", runTitle: "Fix billing", taskKey: null, text: "Which key?", merged: 3 })).toBe("“Fix billing” needs your answer: Which key? (and 2 more)");
  });
});

describe("a Slack-compatible message", () => {
  it("keeps model and reviewer text as text: no links or mentions of its own", () => {
    const body = JSON.parse(
      webhookBody(
        "slack",
        { deliveryId: "d", moment: "needs_input", text: "<!channel> see <https://evil.example|here> & more", merged: 1, createdAt: new Date(0), run: { id: "r1", title: "Run" }, task: null },
        "http://foreman.test",
      ),
    ) as { text: string; blocks: { text?: { text: string }; elements?: { text: string }[] }[] };
    expect(body.text).toContain("&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more");
    expect(body.blocks[0]!.text!.text).not.toContain("<!channel>");
    expect(body.blocks[1]!.elements![0]!.text).toBe("<http://foreman.test/runs/r1|Open the run in Foreman>");
  });
});

describe("a new webhook's input", () => {
  const valid = { name: "Team", kind: "json", url: "https://hooks.example.com/x", moments: ["failed", "failed"] };
  it("takes http(s) URLs without credentials, capped in size", () => {
    expect(createWebhookInput.parse(valid)).toMatchObject({ moments: ["failed"], runId: null });
    for (const url of ["ftp://hooks.example.com/x", "file:///etc/passwd", "javascript:alert(1)", "https://user:pw@hooks.example.com/x", "not a url", `https://h.example/${"a".repeat(2000)}`]) {
      expect(createWebhookInput.safeParse({ ...valid, url }).success, url).toBe(false);
    }
    expect(createWebhookInput.safeParse({ ...valid, moments: [] }).success).toBe(false);
    expect(createWebhookInput.safeParse({ ...valid, secret: "mine" }).success).toBe(false);
  });
});

describe("the delivery log", () => {
  const row = { moment: "failed", text: "planning failed", merged: 1, endpointName: "Pager", runTitle: "Fix billing", taskKey: null } as const;
  it("says what is pending, what failed and why, in sentences", () => {
    expect(describeDelivery({ ...row, status: "pending", attempts: 0, tries: [] }).outcome).toBe("Waiting to be sent to “Pager”.");
    const tries = [{ number: 1, statusCode: null, error: "no answer within 10 s", durationMs: 10_001 }];
    expect(describeDelivery({ ...row, status: "pending", attempts: 1, tries })).toEqual({
      message: "“Fix billing” failed: planning failed",
      outcome: "Try 1 of 6 to “Pager” failed because no answer within 10 s; Foreman tries again shortly.",
      tries: ["Try 1 failed after 10001 ms: no answer within 10 s."],
    });
    expect(describeDelivery({ ...row, status: "failed", attempts: 1, tries }).outcome).toBe("Not delivered to “Pager”: Foreman gave up after 1 try; the last failed because no answer within 10 s.");
  });
});
