import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** People who get the weekly digest as a DM (`/frontline digest subscribe`). */
export const digestSubscribers = pgTable('digest_subscribers', {
  userId: text('user_id').primaryKey(),
  subscribedAt: timestamp('subscribed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One row per scheduled digest slot: the process that claims it sends it. */
export const digestRuns = pgTable('digest_runs', {
  slot: timestamp('slot', { withTimezone: true }).primaryKey(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** Where a slot's digest already went, so a resumed run never posts it twice. */
export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    slot: timestamp('slot', { withTimezone: true }).notNull(),
    /** A channel ID or a subscriber's user ID. */
    target: text('target').notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.slot, t.target] })],
);
