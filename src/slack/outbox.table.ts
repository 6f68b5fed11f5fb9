import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Slack messages waiting to be sent: the transactional outbox. A use case inserts its rows in the
 * same transaction as the change they announce, so a crash can lose neither; the sender deletes a
 * row once Slack has it. `key` names what the message is (`escalation:<id>` for the card that
 * mirrors a record, a random id for a one-off), so a newer version of a card replaces a waiting one.
 */
export const slackOutbox = pgTable(
  'slack_outbox',
  {
    key: text('key').primaryKey(),
    /** Insertion order: rows of one stream are sent in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** Messages that must arrive in order share a stream (a card's thread notes, one person's DMs). */
    stream: text('stream').notNull(),
    /** A registered mirror (see Outbox.defineMirror) that renders the message from its record at send time. */
    mirror: text('mirror'),
    ref: text('ref'),
    /** A channel ID, or a user ID for a direct message; null for a mirror (its record says where). */
    channel: text('channel'),
    threadTs: text('thread_ts'),
    /** Posted in the thread of this record's card, once that card is in Slack. */
    threadMirror: text('thread_mirror'),
    threadRef: text('thread_ref'),
    /** Set when the message is already in Slack: sending updates it instead of posting again. */
    ts: text('ts'),
    text: text('text'),
    blocks: jsonb('blocks').$type<unknown[]>(),
    status: text('status', { enum: ['pending', 'failed'] })
      .notNull()
      .default('pending'),
    /** A post was attempted and its fate is unknown (a crash, a timeout, a 5xx): look for it before posting again. */
    maybePosted: boolean('maybe_posted').notNull().default(false),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by every newer version of the message; the sender deletes the row only if it sent the latest. */
    version: integer('version').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('slack_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('slack_outbox_stream_idx').on(t.stream, t.seq).where(sql`${t.status} = 'pending'`),
  ],
);
