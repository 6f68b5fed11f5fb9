CREATE TABLE "rotation_hosts" (
	"rotation_id" integer NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "rotation_hosts_rotation_id_user_id_pk" PRIMARY KEY("rotation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rotation_participants" (
	"rotation_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"via_usergroup" boolean DEFAULT false NOT NULL,
	"via_direct" boolean DEFAULT false NOT NULL,
	"baseline_turns" integer DEFAULT 0 NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "rotation_participants_rotation_id_user_id_pk" PRIMARY KEY("rotation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rotations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rotations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"cadence" text NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"timezone" text NOT NULL,
	"shadows_per_session" integer DEFAULT 1 NOT NULL,
	"plan_ahead_weeks" integer DEFAULT 8 NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"usergroup_id" text,
	"anchor_date" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shadow_away" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shadow_away_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"from_date" text NOT NULL,
	"to_date" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shadow_notices" (
	"session_id" integer NOT NULL,
	"kind" text NOT NULL,
	"recipient" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "shadow_notices_session_id_kind_recipient_pk" PRIMARY KEY("session_id","kind","recipient")
);
--> statement-breakpoint
CREATE TABLE "shadow_opt_outs" (
	"user_id" text PRIMARY KEY NOT NULL,
	"reason" text,
	"opted_out_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shadow_reflections" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"surprised" text NOT NULL,
	"fix" text NOT NULL,
	"usefulness" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shadow_sessions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shadow_sessions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rotation_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"local_date" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"seat" integer NOT NULL,
	"host_id" text NOT NULL,
	"shadow_id" text NOT NULL,
	"status" text NOT NULL,
	"dm_channel" text,
	"dm_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rotation_hosts" ADD CONSTRAINT "rotation_hosts_rotation_id_rotations_id_fk" FOREIGN KEY ("rotation_id") REFERENCES "public"."rotations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rotation_participants" ADD CONSTRAINT "rotation_participants_rotation_id_rotations_id_fk" FOREIGN KEY ("rotation_id") REFERENCES "public"."rotations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_notices" ADD CONSTRAINT "shadow_notices_session_id_shadow_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."shadow_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_reflections" ADD CONSTRAINT "shadow_reflections_session_id_shadow_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."shadow_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_sessions" ADD CONSTRAINT "shadow_sessions_rotation_id_rotations_id_fk" FOREIGN KEY ("rotation_id") REFERENCES "public"."rotations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rotation_participants_user" ON "rotation_participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rotations_name_live" ON "rotations" USING btree (lower("name")) WHERE "rotations"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "shadow_away_user" ON "shadow_away" USING btree ("user_id","to_date");--> statement-breakpoint
CREATE UNIQUE INDEX "shadow_sessions_live_seat" ON "shadow_sessions" USING btree ("rotation_id","starts_at","seat") WHERE "shadow_sessions"."status" not in ('declined', 'cancelled');--> statement-breakpoint
CREATE INDEX "shadow_sessions_shadow" ON "shadow_sessions" USING btree ("shadow_id","starts_at");--> statement-breakpoint
CREATE INDEX "shadow_sessions_starts" ON "shadow_sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "shadow_sessions_rotation" ON "shadow_sessions" USING btree ("rotation_id","starts_at");