import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Requests counted in the current minute per API token (by its hash), shared by every replica. */
export const apiRateWindows = pgTable('api_rate_windows', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
