import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Recently seen request fingerprints, so Slack retries and double submits are processed once. */
export const requestKeys = pgTable('request_keys', {
  key: text('key').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
});
