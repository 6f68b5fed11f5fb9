CREATE TABLE "help_kudos" (
	"request_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"given_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "help_kudos_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "help_nudges" (
	"request_id" integer NOT NULL,
	"level" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "help_nudges_request_id_level_pk" PRIMARY KEY("request_id","level")
);
--> statement-breakpoint
CREATE TABLE "help_request_helpers" (
	"request_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "help_request_helpers_request_id_user_id_pk" PRIMARY KEY("request_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "help_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"question" text NOT NULL,
	"context" text,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"customer" text,
	"topic" text,
	"topic_people" text[] DEFAULT '{}'::text[] NOT NULL,
	"asker_id" text NOT NULL,
	"source_permalink" text,
	"channel_id" text,
	"message_ts" text,
	"permalink" text,
	"status" text DEFAULT 'open' NOT NULL,
	"first_helper_id" text,
	"solved_by" text,
	"solve_note" text,
	"created_at" timestamp with time zone NOT NULL,
	"first_helped_at" timestamp with time zone,
	"solved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "help_skills" (
	"user_id" text NOT NULL,
	"skill" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_kudos" ADD CONSTRAINT "help_kudos_request_id_help_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."help_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_nudges" ADD CONSTRAINT "help_nudges_request_id_help_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."help_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_helpers" ADD CONSTRAINT "help_request_helpers_request_id_help_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."help_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "help_kudos_user_idx" ON "help_kudos" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "help_request_helpers_user_idx" ON "help_request_helpers" USING btree ("user_id","joined_at");--> statement-breakpoint
CREATE INDEX "help_request_helpers_joined_at_idx" ON "help_request_helpers" USING btree ("joined_at");--> statement-breakpoint
CREATE INDEX "help_requests_created_at_idx" ON "help_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "help_requests_status_created_at_idx" ON "help_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "help_requests_asker_idx" ON "help_requests" USING btree ("asker_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "help_skills_user_skill_idx" ON "help_skills" USING btree ("user_id","skill");--> statement-breakpoint
CREATE INDEX "help_skills_skill_idx" ON "help_skills" USING btree ("skill");