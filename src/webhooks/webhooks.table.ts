import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * A URL that receives Frontline's events. `secret` signs every delivery: HMAC needs the secret itself,
 * so it is stored as given (like Slack keeps an app's signing secret), shown once when created and
 * never logged; whoever can read this table can read the escalations the deliveries carry anyway.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  /** Short, typed by admins: `wh_` and eight letters or digits. */
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  /** The event types it receives; empty for all of them. */
  events: text('events').array().notNull().default(sql`'{}'::text[]`),
  secret: text('secret').notNull(),
  status: text('status', { enum: ['active', 'paused'] })
    .notNull()
    .default('active'),
  /** Who added it with `/frontline webhook add`; null when it comes from FRONTLINE_CONFIG. */
  createdBy: text('created_by'),
  source: text('source', { enum: ['command', 'config'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  /** Since when every delivery failed; cleared by a success. A day of it pauses the subscription. */
  failingSince: timestamp('failing_since', { withTimezone: true }),
  pausedAt: timestamp('paused_at', { withTimezone: true }),
});

/**
 * One event to send to one subscription: written in the transaction that handles the event, sent
 * at once and retried until the receiver answers 2xx. Rows of a `stream` (a subscription and one
 * record) go in `seq` order. Sent rows stay a while for `/frontline webhook log`.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    key: text('key').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    stream: text('stream').notNull(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The JSON sent, exactly as signed. */
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** The receiver's last HTTP status; null when it never answered (a timeout, a refused connection). */
    lastStatus: smallint('last_status'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_stream_idx').on(t.stream, t.seq).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_log_idx').on(t.subscriptionId, t.seq),
  ],
);
