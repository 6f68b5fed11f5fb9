-- Answers are searched far more often than written. A GIN index's pending list (fastupdate) makes
-- writes cheaper but every search reads the whole list (up to 4 MB), which cost 2-4 ms per index
-- scan and several scans per search. Without it, each new answer goes straight into the index.
SELECT gin_clean_pending_list('answers_search_idx'::regclass);--> statement-breakpoint
SELECT gin_clean_pending_list('answers_title_search_idx'::regclass);--> statement-breakpoint
ALTER INDEX "answers_search_idx" SET (fastupdate = off);--> statement-breakpoint
ALTER INDEX "answers_title_search_idx" SET (fastupdate = off);
