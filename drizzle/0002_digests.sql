CREATE TABLE "digest_deliveries" (
	"slot" timestamp with time zone NOT NULL,
	"target" text NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digest_deliveries_slot_target_pk" PRIMARY KEY("slot","target")
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"slot" timestamp with time zone PRIMARY KEY NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "digest_subscribers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"subscribed_at" timestamp with time zone DEFAULT now() NOT NULL
);
