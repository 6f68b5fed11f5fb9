CREATE TABLE "shadow_messages" (
	"mirror" text NOT NULL,
	"ref" text NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "shadow_messages_mirror_ref_pk" PRIMARY KEY("mirror","ref")
);
--> statement-breakpoint
ALTER TABLE "shadow_sessions" ADD COLUMN "offered_at" timestamp with time zone;--> statement-breakpoint
-- Seats offered by the earlier one-DM-per-session messages were offered when their DM landed.
UPDATE "shadow_sessions" SET "offered_at" = "updated_at" WHERE "dm_ts" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "shadow_sessions" DROP COLUMN "dm_channel";--> statement-breakpoint
ALTER TABLE "shadow_sessions" DROP COLUMN "dm_ts";