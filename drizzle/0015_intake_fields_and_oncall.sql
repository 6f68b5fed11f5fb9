ALTER TABLE "departments" ADD COLUMN "intake_fields" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "oncall_group_id" text;