import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const feedbackSourceEnum = pgEnum('feedback_source', ['email', 'chat', 'phone', 'social', 'in_person', 'other']);
export const sentimentLabelEnum = pgEnum('feedback_sentiment', ['positive', 'neutral', 'negative']);
/** How the item reached Frontline, for the confirmation and for support questions. */
export const captureMethodEnum = pgEnum('feedback_capture', ['command', 'modal', 'shortcut', 'reaction', 'webhook']);

/** One piece of customer feedback, from Slack or another tool. */
export const feedbackItems = pgTable(
  'feedback_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    text: text('text').notNull(),
    customer: text('customer'),
    source: feedbackSourceEnum('source').notNull().default('other'),
    themes: text('themes').array().notNull().default(sql`'{}'::text[]`),
    /** AFINN sum over the words: negative is unhappy, positive is happy. */
    sentimentScore: integer('sentiment_score').notNull().default(0),
    sentimentLabel: sentimentLabelEnum('sentiment_label').notNull().default('neutral'),
    /** True once a person set the label by hand: re-scoring must not undo it. */
    sentimentOverridden: boolean('sentiment_overridden').notNull().default(false),
    /** The other tool's id, so a webhook retried by it stores nothing new. */
    externalId: text('external_id').unique(),
    capturedVia: captureMethodEnum('captured_via').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    loggedBy: text('logged_by'),
    sourceChannelId: text('source_channel_id'),
    sourceMessageTs: text('source_message_ts'),
    permalink: text('permalink'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The digest reads one or a few weeks at a time.
    index('feedback_items_received_at_idx').on(t.receivedAt),
    // A Slack message is logged once, however many people react to it or run the shortcut.
    uniqueIndex('feedback_items_source_message_idx').on(t.sourceChannelId, t.sourceMessageTs),
  ],
);

/** Admin-defined themes; feedback given no theme is tagged by these keywords. */
export const feedbackThemes = pgTable('feedback_themes', {
  name: text('name').primaryKey(),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
