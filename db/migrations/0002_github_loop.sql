CREATE TABLE "github_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"action" text,
	"repository" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "github_paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pull_requests" ADD COLUMN "ci_fix_shas" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "pull_requests" ADD COLUMN "checks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "pull_requests" ADD COLUMN "head_pushed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pull_requests" ADD COLUMN "last_sync_error" text;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "from_foreman" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "in_reply_to" bigint;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "question_id" uuid;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "approval_id" uuid;--> statement-breakpoint
ALTER TABLE "review_comments" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "github_deliveries_received_idx" ON "github_deliveries" USING btree ("received_at");