import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { FeedbackSource, SentimentLabel } from './feedback.models.ts';
import { feedbackItems, feedbackThemes } from './feedback.table.ts';

export type FeedbackItem = typeof feedbackItems.$inferSelect;
export type FeedbackTheme = typeof feedbackThemes.$inferSelect;
export type NewFeedback = typeof feedbackItems.$inferInsert;

export interface FeedbackChanges {
  text: string;
  customer: string | null;
  source: FeedbackSource;
  themes: string[];
  sentimentScore: number;
  sentimentLabel: SentimentLabel;
  sentimentOverridden: boolean;
}

// PostgreSQL sets xmax only on rows an upsert updated: zero means the row was inserted.
const sqlInserted = sql<boolean>`(xmax = 0)`;

export function createFeedbackRepository({ db }: { db: Db }) {
  return {
    async insert(item: NewFeedback): Promise<FeedbackItem> {
      const [row] = await db.insert(feedbackItems).values(item).returning();
      return row!;
    },

    /** Stores a Slack message once; undefined when that message was already logged. */
    async insertFromMessage(item: NewFeedback & { sourceChannelId: string; sourceMessageTs: string }): Promise<FeedbackItem | undefined> {
      const [row] = await db.insert(feedbackItems).values(item).onConflictDoNothing({ target: [feedbackItems.sourceChannelId, feedbackItems.sourceMessageTs] }).returning();
      return row;
    },

    /** Stores an item from another tool once per external id; `created` is false for a repeat. */
    async insertExternal(item: NewFeedback & { externalId: string }): Promise<{ id: string; created: boolean }> {
      const [row] = await db.insert(feedbackItems).values(item).onConflictDoNothing({ target: feedbackItems.externalId }).returning({ id: feedbackItems.id });
      if (row) return { id: row.id, created: true };
      const [existing] = await db.select({ id: feedbackItems.id }).from(feedbackItems).where(eq(feedbackItems.externalId, item.externalId));
      return { id: existing!.id, created: false };
    },

    async get(id: string): Promise<FeedbackItem | undefined> {
      const [row] = await db.select().from(feedbackItems).where(eq(feedbackItems.id, id));
      return row;
    },

    async findByMessage(channelId: string, ts: string): Promise<FeedbackItem | undefined> {
      const [row] = await db.select().from(feedbackItems).where(and(eq(feedbackItems.sourceChannelId, channelId), eq(feedbackItems.sourceMessageTs, ts)));
      return row;
    },

    async update(id: string, changes: FeedbackChanges, now: Date): Promise<FeedbackItem | undefined> {
      const [row] = await db.update(feedbackItems).set({ ...changes, updatedAt: now }).where(eq(feedbackItems.id, id)).returning();
      return row;
    },

    listThemes: () => db.select().from(feedbackThemes).orderBy(asc(feedbackThemes.name)),

    /** Creates a theme or replaces its keywords; true when it is new. */
    async upsertTheme(name: string, keywords: string[], by: string): Promise<boolean> {
      const [row] = await db
        .insert(feedbackThemes)
        .values({ name, keywords, createdBy: by })
        .onConflictDoUpdate({ target: feedbackThemes.name, set: { keywords } })
        .returning({ inserted: sqlInserted });
      return row!.inserted;
    },

    async removeTheme(name: string): Promise<boolean> {
      const rows = await db.delete(feedbackThemes).where(eq(feedbackThemes.name, name)).returning({ name: feedbackThemes.name });
      return rows.length === 1;
    },
  };
}

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
