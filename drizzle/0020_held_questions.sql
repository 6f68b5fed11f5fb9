CREATE TYPE "public"."held_question_kind" AS ENUM('help_request', 'escalation');--> statement-breakpoint
CREATE TYPE "public"."held_question_status" AS ENUM('offered', 'answered', 'posting', 'posted');--> statement-breakpoint
CREATE TABLE "held_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "held_question_kind" NOT NULL,
	"user_id" text NOT NULL,
	"question" text NOT NULL,
	"retry_key" text,
	"draft" jsonb NOT NULL,
	"answer_ids" uuid[] NOT NULL,
	"status" "held_question_status" DEFAULT 'offered' NOT NULL,
	"answered_by_id" uuid,
	"posted_reply" text,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "held_questions" ADD CONSTRAINT "held_questions_answered_by_id_answers_id_fk" FOREIGN KEY ("answered_by_id") REFERENCES "public"."answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "held_questions_retry_key_idx" ON "held_questions" USING btree ("retry_key");--> statement-breakpoint
CREATE INDEX "held_questions_user_status_idx" ON "held_questions" USING btree ("user_id","status");