-- Rows kept by the earlier outbox: sent ones are history the new sender does not keep; pending ones stand alone.
DELETE FROM "slack_outbox" WHERE "status" = 'sent';--> statement-breakpoint
UPDATE "slack_outbox" SET "stream" = "key" WHERE "stream" IS NULL;
