-- Answers are found by full-text search on a weighted vector the database keeps (title A, tags B,
-- body C, in each answer's text search configuration) and by trigram similarity on titles.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "answers_title_trgm_idx" ON "answers" USING gin ("title" gin_trgm_ops);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION answers_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector(NEW.language::regconfig, coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector(NEW.language::regconfig,
      array_to_string(NEW.skills || NEW.themes || coalesce(NEW.department_key, ''), ' ')), 'B') ||
    setweight(to_tsvector(NEW.language::regconfig, coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER answers_search_vector BEFORE INSERT OR UPDATE OF title, body, skills, themes, department_key, language
  ON "answers" FOR EACH ROW EXECUTE FUNCTION answers_search_vector();
