CREATE TYPE "public"."answer_lookup" AS ENUM('search', 'ask', 'escalate');--> statement-breakpoint
CREATE TYPE "public"."answer_source" AS ENUM('escalation', 'help_request', 'message', 'manual', 'import');--> statement-breakpoint
CREATE TYPE "public"."answer_status" AS ENUM('active', 'outdated', 'retired');--> statement-breakpoint
CREATE TYPE "public"."answer_use" AS ENUM('shared', 'deflected');--> statement-breakpoint
CREATE TABLE "answer_lookups" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" "answer_lookup" NOT NULL,
	"query" text NOT NULL,
	"topic" text NOT NULL,
	"user_id" text NOT NULL,
	"answered" boolean NOT NULL,
	"looked_up_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answer_uses" (
	"id" serial PRIMARY KEY NOT NULL,
	"answer_id" uuid NOT NULL,
	"kind" "answer_use" NOT NULL,
	"user_id" text NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answer_votes" (
	"answer_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"voted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "answer_votes_answer_id_user_id_pk" PRIMARY KEY("answer_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"source_kind" "answer_source" NOT NULL,
	"source_id" text,
	"permalink" text,
	"department_key" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"credited_user_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text,
	"status" "answer_status" DEFAULT 'active' NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"helpful_votes" integer DEFAULT 0 NOT NULL,
	"language" text DEFAULT 'english' NOT NULL,
	"search" "tsvector",
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"review_requested_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "answer_uses" ADD CONSTRAINT "answer_uses_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_votes" ADD CONSTRAINT "answer_votes_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_lookups_looked_up_at_idx" ON "answer_lookups" USING btree ("looked_up_at");--> statement-breakpoint
CREATE INDEX "answer_uses_used_at_idx" ON "answer_uses" USING btree ("used_at");--> statement-breakpoint
CREATE UNIQUE INDEX "answers_source_idx" ON "answers" USING btree ("source_kind","source_id");--> statement-breakpoint
CREATE INDEX "answers_search_idx" ON "answers" USING gin ("search");--> statement-breakpoint
CREATE INDEX "answers_status_confirmed_idx" ON "answers" USING btree ("status","confirmed_at");