ALTER TABLE "slack_outbox" ALTER COLUMN "channel" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_outbox" ALTER COLUMN "text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "stream" text;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "thread_mirror" text;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "thread_ref" text;--> statement-breakpoint
CREATE INDEX "slack_outbox_stream_idx" ON "slack_outbox" USING btree ("stream","seq") WHERE "slack_outbox"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "slack_outbox" DROP COLUMN "sent_at";