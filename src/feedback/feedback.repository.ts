import { and, asc, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
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

/** A half-open time range [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

export type SentimentCounts = Record<SentimentLabel, number>;

/** What the weekly digest reports about one range of feedback. */
export interface FeedbackMetrics {
  total: number;
  bySentiment: SentimentCounts;
  /** Most mentioned first. */
  byTheme: Array<{ theme: string; total: number } & SentimentCounts>;
  /** Up to three items typical of the biggest themes (their prevailing sentiment, strongest words). */
  quotes: Array<
    Pick<FeedbackItem, 'id' | 'text' | 'customer' | 'permalink' | 'sentimentLabel' | 'receivedAt'> & {
      theme: string | null;
    }
  >;
}

const emptyCounts = (): SentimentCounts => ({ positive: 0, neutral: 0, negative: 0 });

export function createFeedbackRepository({ db }: { db: Db }) {
  const inRange = ({ start, end }: TimeRange) =>
    and(gte(feedbackItems.receivedAt, start), lt(feedbackItems.receivedAt, end));
  const quoteFields = {
    id: feedbackItems.id,
    text: feedbackItems.text,
    customer: feedbackItems.customer,
    permalink: feedbackItems.permalink,
    sentimentLabel: feedbackItems.sentimentLabel,
    receivedAt: feedbackItems.receivedAt,
  };

  /** The item most typical of a theme: its prevailing sentiment, the strongest words, the latest. */
  const representative = async (range: TimeRange, theme: string, label: SentimentLabel, exclude: string[]) => {
    const [row] = await db
      .select(quoteFields)
      .from(feedbackItems)
      .where(
        and(
          inRange(range),
          sql`${feedbackItems.themes} @> ARRAY[${theme}]::text[]`,
          exclude.length ? sql`${feedbackItems.id} <> ALL(${sql.param(exclude)}::uuid[])` : undefined,
        ),
      )
      .orderBy(
        desc(sql`${feedbackItems.sentimentLabel} = ${label}`),
        desc(sql`abs(${feedbackItems.sentimentScore})`),
        desc(feedbackItems.receivedAt),
      )
      .limit(1);
    return row;
  };

  return {
    /**
     * Volume, by sentiment and theme, and three representative quotes for one range. Reads only that
     * range through the received_at index, so its cost follows the week's size, not the table's.
     */
    async metrics(range: TimeRange): Promise<FeedbackMetrics> {
      const sentimentRows = await db
        .select({ label: feedbackItems.sentimentLabel, n: count() })
        .from(feedbackItems)
        .where(inRange(range))
        .groupBy(feedbackItems.sentimentLabel);
      const bySentiment = emptyCounts();
      for (const r of sentimentRows) bySentiment[r.label] = r.n;
      const tagged = db.$with('tagged').as(
        db
          .select({
            theme: sql<string>`unnest(${feedbackItems.themes})`.as('theme'),
            label: feedbackItems.sentimentLabel,
          })
          .from(feedbackItems)
          .where(inRange(range)),
      );
      const themeRows = await db
        .with(tagged)
        .select({ theme: tagged.theme, label: tagged.label, n: count() })
        .from(tagged)
        .groupBy(tagged.theme, tagged.label);
      const themes = new Map<string, { theme: string; total: number } & SentimentCounts>();
      for (const r of themeRows) {
        const entry = themes.get(r.theme) ?? { theme: r.theme, total: 0, ...emptyCounts() };
        entry[r.label] += r.n;
        entry.total += r.n;
        themes.set(r.theme, entry);
      }
      const byTheme = [...themes.values()].sort((a, b) => b.total - a.total || a.theme.localeCompare(b.theme));

      const quotes: FeedbackMetrics['quotes'] = [];
      for (const t of byTheme.slice(0, 3)) {
        const prevailing = (['negative', 'positive', 'neutral'] as const).reduce(
          (best, l) => (t[l] > t[best] ? l : best),
          'negative' as SentimentLabel,
        );
        const row = await representative(
          range,
          t.theme,
          prevailing,
          quotes.map((q) => q.id),
        );
        if (row) quotes.push({ ...row, theme: t.theme });
      }
      if (quotes.length < 3) {
        // Few themes this week: fill with the most strongly worded items.
        const rest = await db
          .select(quoteFields)
          .from(feedbackItems)
          .where(
            and(
              inRange(range),
              quotes.length
                ? sql`${feedbackItems.id} <> ALL(${sql.param(quotes.map((q) => q.id))}::uuid[])`
                : undefined,
            ),
          )
          .orderBy(desc(sql`abs(${feedbackItems.sentimentScore})`), desc(feedbackItems.receivedAt))
          .limit(3 - quotes.length);
        quotes.push(...rest.map((r) => ({ ...r, theme: null })));
      }
      return { total: bySentiment.positive + bySentiment.neutral + bySentiment.negative, bySentiment, byTheme, quotes };
    },

    /** Counts by sentiment per week for `weeks` weeks ending at `end` (oldest first), for the digest chart. */
    async weeklySentiment(end: Date, weeks: number): Promise<SentimentCounts[]> {
      const weekMs = 7 * 24 * 3600_000;
      const start = new Date(end.getTime() - weeks * weekMs);
      const bucketed = db.$with('bucketed').as(
        db
          .select({
            week: sql<number>`floor(extract(epoch from (${feedbackItems.receivedAt} - ${start.toISOString()}::timestamptz)) / ${weekMs / 1000})::int`.as(
              'week',
            ),
            label: feedbackItems.sentimentLabel,
          })
          .from(feedbackItems)
          .where(inRange({ start, end })),
      );
      const rows = await db
        .with(bucketed)
        .select({ week: bucketed.week, label: bucketed.label, n: count() })
        .from(bucketed)
        .groupBy(bucketed.week, bucketed.label);
      const result = Array.from({ length: weeks }, emptyCounts);
      for (const r of rows) result[Number(r.week)]![r.label] += r.n;
      return result;
    },

    async insert(item: NewFeedback): Promise<FeedbackItem> {
      const [row] = await db.insert(feedbackItems).values(item).returning();
      return row!;
    },

    /** Stores a Slack message once; undefined when that message was already logged. */
    async insertFromMessage(
      item: NewFeedback & { sourceChannelId: string; sourceMessageTs: string },
    ): Promise<FeedbackItem | undefined> {
      const [row] = await db
        .insert(feedbackItems)
        .values(item)
        .onConflictDoNothing({ target: [feedbackItems.sourceChannelId, feedbackItems.sourceMessageTs] })
        .returning();
      return row;
    },

    /** Stores an item from another tool once per external id; `created` is false for a repeat. */
    async insertExternal(item: NewFeedback & { externalId: string }): Promise<{ id: string; created: boolean }> {
      const [row] = await db
        .insert(feedbackItems)
        .values(item)
        .onConflictDoNothing({ target: feedbackItems.externalId })
        .returning({ id: feedbackItems.id });
      if (row) return { id: row.id, created: true };
      const [existing] = await db
        .select({ id: feedbackItems.id })
        .from(feedbackItems)
        .where(eq(feedbackItems.externalId, item.externalId));
      return { id: existing!.id, created: false };
    },

    async get(id: string): Promise<FeedbackItem | undefined> {
      const [row] = await db.select().from(feedbackItems).where(eq(feedbackItems.id, id));
      return row;
    },

    async findByMessage(channelId: string, ts: string): Promise<FeedbackItem | undefined> {
      const [row] = await db
        .select()
        .from(feedbackItems)
        .where(and(eq(feedbackItems.sourceChannelId, channelId), eq(feedbackItems.sourceMessageTs, ts)));
      return row;
    },

    async update(id: string, changes: FeedbackChanges, now: Date): Promise<FeedbackItem | undefined> {
      const [row] = await db
        .update(feedbackItems)
        .set({ ...changes, updatedAt: now })
        .where(eq(feedbackItems.id, id))
        .returning();
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
      const rows = await db
        .delete(feedbackThemes)
        .where(eq(feedbackThemes.name, name))
        .returning({ name: feedbackThemes.name });
      return rows.length === 1;
    },
  };
}

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
