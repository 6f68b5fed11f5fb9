-- Existing escalations got their numbers in the table's physical order: renumber them oldest first, so
-- ESC-1 is the first escalation ever raised. Negative first, so no two rows ever share a number.
UPDATE "escalations" AS e SET "number" = -ranked.n
FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "id") AS n FROM "escalations") AS ranked
WHERE e."id" = ranked."id";--> statement-breakpoint
UPDATE "escalations" SET "number" = -"number";--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('escalations', 'number'), coalesce(max("number"), 0) + 1, false) FROM "escalations";
