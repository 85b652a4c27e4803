ALTER TABLE "repositories" ADD COLUMN "test_patterns" text[];--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "check_files" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "stalls" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "budget_from_attempt" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "disputed_claims" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "check_files" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "start_checks" jsonb;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "weakening" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "verifications" ADD COLUMN "disputes" jsonb DEFAULT '[]'::jsonb NOT NULL;