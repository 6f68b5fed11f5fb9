CREATE TABLE "answer_title_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "title_search" "tsvector";--> statement-breakpoint
CREATE INDEX "answer_title_words_trgm_idx" ON "answer_title_words" USING gist ("word" gist_trgm_ops);--> statement-breakpoint
CREATE INDEX "answers_title_search_idx" ON "answers" USING gin ("title_search");--> statement-breakpoint
-- Search picks its candidates from the title's own vector and corrects typos through the title
-- words (knowledge.search.ts): the trigger keeps both; trigram matching on whole titles is gone.
CREATE OR REPLACE FUNCTION answers_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.title_search := to_tsvector(NEW.language::regconfig, coalesce(NEW.title, ''));
  NEW.search :=
    setweight(NEW.title_search, 'A') ||
    setweight(to_tsvector(NEW.language::regconfig,
      array_to_string(NEW.skills || NEW.themes || coalesce(NEW.department_key, ''), ' ')), 'B') ||
    setweight(to_tsvector(NEW.language::regconfig, coalesce(NEW.body, '')), 'C');
  INSERT INTO answer_title_words (word)
    SELECT DISTINCT token FROM ts_parse('default', lower(coalesce(NEW.title, '')))
    -- words, numbers and the parts of hyphenated words
    WHERE tokid IN (1, 2, 3, 9, 10, 11) AND length(token) >= 3
    ON CONFLICT DO NOTHING;
  RETURN NEW;
END
$$;
--> statement-breakpoint
UPDATE "answers" SET "title_search" = to_tsvector("language"::regconfig, "title");
--> statement-breakpoint
INSERT INTO "answer_title_words" ("word")
  SELECT DISTINCT token FROM "answers", ts_parse('default', lower("title"))
  WHERE tokid IN (1, 2, 3, 9, 10, 11) AND length(token) >= 3
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP INDEX IF EXISTS "answers_title_trgm_idx";
