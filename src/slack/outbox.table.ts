import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Slack messages that could not be sent when they were due, kept until the resend job delivers them.
 * `key` names what the message is (`escalation:<id>` for a message that mirrors a record, a random
 * id for a one-off), so the latest content of a record's message replaces an older pending one.
 */
export const slackOutbox = pgTable(
  'slack_outbox',
  {
    key: text('key').primaryKey(),
    /** A registered mirror (see Outbox.defineMirror) that re-renders the message from its record at send time. */
    mirror: text('mirror'),
    ref: text('ref'),
    channel: text('channel').notNull(),
    threadTs: text('thread_ts'),
    /** Set when the message is already in Slack: the resend updates it instead of posting again. */
    ts: text('ts'),
    text: text('text').notNull(),
    blocks: jsonb('blocks').$type<unknown[]>(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] }).notNull().default('pending'),
    /** The last failure may have reached Slack (timeout, 5xx): look for the message before posting again. */
    maybePosted: boolean('maybe_posted').notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by every newer version of the message; a resend marks the row sent only if it sent the latest. */
    version: integer('version').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('slack_outbox_due_idx').on(t.status, t.nextAttemptAt)],
);
