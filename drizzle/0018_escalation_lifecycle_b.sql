CREATE TABLE "escalation_ratings" (
	"escalation_id" uuid PRIMARY KEY NOT NULL,
	"requester_id" text NOT NULL,
	"rating" text NOT NULL,
	"comment" text,
	"rated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_round_robin" (
	"department_key" text PRIMARY KEY NOT NULL,
	"last_user_id" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "holidays" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "round_robin_group" text;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "round_robin_handle" text;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "assignee_id" text;--> statement-breakpoint
ALTER TABLE "escalation_ratings" ADD CONSTRAINT "escalation_ratings_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;