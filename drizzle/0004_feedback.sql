CREATE TYPE "public"."feedback_capture" AS ENUM('command', 'modal', 'shortcut', 'reaction', 'webhook');--> statement-breakpoint
CREATE TYPE "public"."feedback_source" AS ENUM('email', 'chat', 'phone', 'social', 'in_person', 'other');--> statement-breakpoint
CREATE TYPE "public"."feedback_sentiment" AS ENUM('positive', 'neutral', 'negative');--> statement-breakpoint
CREATE TABLE "feedback_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text" text NOT NULL,
	"customer" text,
	"source" "feedback_source" DEFAULT 'other' NOT NULL,
	"themes" text[] DEFAULT '{}'::text[] NOT NULL,
	"sentiment_score" integer DEFAULT 0 NOT NULL,
	"sentiment_label" "feedback_sentiment" DEFAULT 'neutral' NOT NULL,
	"sentiment_overridden" boolean DEFAULT false NOT NULL,
	"external_id" text,
	"captured_via" "feedback_capture" NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"logged_by" text,
	"source_channel_id" text,
	"source_message_ts" text,
	"permalink" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_items_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "feedback_themes" (
	"name" text PRIMARY KEY NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
--> statement-breakpoint
CREATE INDEX "feedback_items_received_at_idx" ON "feedback_items" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_items_source_message_idx" ON "feedback_items" USING btree ("source_channel_id","source_message_ts");