ALTER TABLE "answer_uses" ALTER COLUMN "answer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "triage_path" text[] DEFAULT '{}'::text[] NOT NULL;