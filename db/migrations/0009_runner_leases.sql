CREATE TABLE "codex_threads" (
	"thread_id" text PRIMARY KEY NOT NULL,
	"home" text NOT NULL,
	"relative_path" text NOT NULL,
	"bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"saved_by" text NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runners" ADD COLUMN "lease_expires_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "runners" ADD COLUMN "taken_over_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runners" ADD COLUMN "taken_over_by" text;--> statement-breakpoint
ALTER TABLE "runners" ADD COLUMN "restart_note" text;