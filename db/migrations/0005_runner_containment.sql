ALTER TABLE "runners" ADD COLUMN "containment" text DEFAULT 'bwrap' NOT NULL;--> statement-breakpoint
ALTER TABLE "runners" ADD COLUMN "containment_note" text;