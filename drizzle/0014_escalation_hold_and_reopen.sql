ALTER TABLE "escalations" ADD COLUMN "hold_reason" text;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "hold_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "held_ms" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "reopenable_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "escalations_message_idx" ON "escalations" USING btree ("channel_id","message_ts");--> statement-breakpoint
CREATE INDEX "escalations_hold_until_idx" ON "escalations" USING btree ("hold_until") WHERE "escalations"."status" = 'on_hold';--> statement-breakpoint
CREATE INDEX "escalations_reopenable_idx" ON "escalations" USING btree ("reopenable_until") WHERE "escalations"."reopenable_until" is not null;