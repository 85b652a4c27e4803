ALTER TYPE "public"."approval_kind" ADD VALUE 'drop_task';--> statement-breakpoint
ALTER TYPE "public"."approval_kind" ADD VALUE 'replan';--> statement-breakpoint
ALTER TYPE "public"."approval_kind" ADD VALUE 'new_task';--> statement-breakpoint
ALTER TYPE "public"."heartbeat_trigger" ADD VALUE 'worker_blocked';--> statement-breakpoint
ALTER TYPE "public"."question_source" ADD VALUE 'manager';--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "manager_follow_ups" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "manager_judged_at" timestamp with time zone;