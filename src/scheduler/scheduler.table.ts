import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per job and slot: whoever inserts it runs the job (see scheduler.ts). */
export const jobRuns = pgTable(
  'job_runs',
  {
    key: text('key').primaryKey(),
    job: text('job').notNull(),
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('job_runs_job_slot_idx').on(t.job, t.slot)],
);
