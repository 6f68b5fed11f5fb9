CREATE TABLE "escalation_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"escalation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "escalation_reminders" (
	"escalation_id" uuid NOT NULL,
	"threshold" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "escalation_reminders_escalation_id_threshold_pk" PRIMARY KEY("escalation_id","threshold")
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"department_key" text NOT NULL,
	"priority" text NOT NULL,
	"customer" text,
	"summary" text NOT NULL,
	"details" text,
	"link" text,
	"requester_id" text NOT NULL,
	"channel_id" text,
	"message_ts" text,
	"message_url" text,
	"status" text DEFAULT 'open' NOT NULL,
	"claimer_id" text,
	"claimed_at" timestamp with time zone,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"ack_due_at" timestamp with time zone NOT NULL,
	"ack_alert_at" timestamp with time zone NOT NULL,
	"resolve_due_at" timestamp with time zone NOT NULL,
	"reassigned_from_id" uuid,
	"reassigned_to_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "escalation_events" ADD CONSTRAINT "escalation_events_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_reminders" ADD CONSTRAINT "escalation_reminders_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "escalation_events_escalation_idx" ON "escalation_events" USING btree ("escalation_id","at");--> statement-breakpoint
CREATE INDEX "escalation_events_kind_at_idx" ON "escalation_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "escalations_created_at_idx" ON "escalations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "escalations_resolved_at_idx" ON "escalations" USING btree ("resolved_at");--> statement-breakpoint
CREATE INDEX "escalations_claimed_at_idx" ON "escalations" USING btree ("claimed_at");--> statement-breakpoint
CREATE INDEX "escalations_queue_idx" ON "escalations" USING btree ("department_key","status","created_at");--> statement-breakpoint
CREATE INDEX "escalations_requester_idx" ON "escalations" USING btree ("requester_id","status");--> statement-breakpoint
CREATE INDEX "escalations_claimer_idx" ON "escalations" USING btree ("claimer_id","status");--> statement-breakpoint
CREATE INDEX "escalations_live_idx" ON "escalations" USING btree ("ack_due_at") WHERE "escalations"."status" in ('open', 'claimed');