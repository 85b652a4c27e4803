ALTER TABLE "approvals" ALTER COLUMN "kind" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "public"."approval_kind";--> statement-breakpoint
CREATE TYPE "public"."approval_kind" AS ENUM('plan', 'risk', 'architecture', 'scope_widening', 'drop_task', 'replan', 'new_task');--> statement-breakpoint
ALTER TABLE "approvals" ALTER COLUMN "kind" SET DATA TYPE "public"."approval_kind" USING "kind"::"public"."approval_kind";--> statement-breakpoint
ALTER TABLE "questions" ALTER COLUMN "source" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "public"."question_source";--> statement-breakpoint
CREATE TYPE "public"."question_source" AS ENUM('review', 'comment', 'manager');--> statement-breakpoint
ALTER TABLE "questions" ALTER COLUMN "source" SET DATA TYPE "public"."question_source" USING "source"::"public"."question_source";--> statement-breakpoint
-- Enum values nothing ever wrote (a dismissed question, a worker's question, a merge approval) are dropped.
-- The default goes first and comes back last: a text default cannot be cast to the new enum automatically.
ALTER TABLE "questions" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "questions" ALTER COLUMN "status" SET DATA TYPE text;--> statement-breakpoint
DROP TYPE "public"."question_status";--> statement-breakpoint
CREATE TYPE "public"."question_status" AS ENUM('open', 'answered');--> statement-breakpoint
ALTER TABLE "questions" ALTER COLUMN "status" SET DATA TYPE "public"."question_status" USING "status"::"public"."question_status";--> statement-breakpoint
ALTER TABLE "questions" ALTER COLUMN "status" SET DEFAULT 'open'::"public"."question_status";