import { and, count, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { departments } from '../departments/departments.table.ts';
import { findAnswers, found } from './knowledge.search.ts';
import { answerLookups, answers, answerUses, answerVotes } from './knowledge.table.ts';

export type Answer = typeof answers.$inferSelect;
export type NewAnswer = Omit<typeof answers.$inferInsert, 'search' | 'titleSearch' | 'id'>;
export type FoundAnswer = Pick<
  Answer,
  'id' | 'title' | 'body' | 'status' | 'permalink' | 'departmentKey' | 'creditedUserIds' | 'createdAt' | 'sourceKind'
> & { score: number; departmentName: string | null };

/** A half-open time range [start, end). */
export interface TimeRange {
  start: Date;
  end: Date;
}

export interface KnowledgeMetrics {
  /** Questions answered by a suggestion before they were posted. */
  deflected: number;
  added: number;
  mostUsed: Array<{ id: string; title: string; permalink: string | null; uses: number }>;
  /** Topics searched or asked with no answer above the threshold, most asked first. */
  gaps: Array<{ topic: string; example: string; asked: number }>;
}

const GAP_LIMIT = 5;

export function createKnowledgeRepository({ db }: { db: Db }) {
  return {
    /** Whether PostgreSQL has a text search configuration of this name. */
    async languageExists(name: string): Promise<boolean> {
      const [row] = await db
        .select({ ok: sql<boolean>`exists (select 1 from pg_catalog.pg_ts_config where cfgname = ${name})` })
        .from(sql`(select 1) as one`);
      return row?.ok ?? false;
    },

    /** Rebuilds every answer's search vector in another language (the trigger does the work). */
    async setLanguage(language: string): Promise<void> {
      await db.update(answers).set({ language }).where(ne(answers.language, language));
    },

    /** The best answers for what a person typed, best first; retired ones never (see knowledge.search.ts). */
    search: (options: { query: string; language: string; limit: number }) => findAnswers(db, options),

    /** A department's name for showing (archived ones keep theirs). */
    async departmentName(key: string | null): Promise<string | null> {
      if (!key) return null;
      const [row] = await db.select({ name: departments.name }).from(departments).where(eq(departments.key, key));
      return row?.name ?? null;
    },

    /** The answer with this title (case aside) that is not retired, the latest if several. */
    async byTitle(title: string): Promise<Answer | undefined> {
      const [row] = await db
        .select()
        .from(answers)
        .where(and(sql`lower(${answers.title}) = lower(${title})`, ne(answers.status, 'retired')))
        .orderBy(desc(answers.updatedAt))
        .limit(1);
      return row;
    },

    /** Answers as a result list shows them, in the order of `ids`; retired ones never. */
    async foundByIds(ids: string[]): Promise<Omit<FoundAnswer, 'score'>[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .select(found)
        .from(answers)
        .leftJoin(departments, eq(departments.key, answers.departmentKey))
        .where(and(inArray(answers.id, ids), ne(answers.status, 'retired')));
      return rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
    },

    async byId(id: string): Promise<Answer | undefined> {
      const [row] = await db.select().from(answers).where(eq(answers.id, id));
      return row;
    },

    /** Stores an answer; one per source (an escalation, a help request, a message): a repeat returns undefined. */
    async insert(tx: Db, answer: NewAnswer): Promise<Answer | undefined> {
      const [row] = await tx.insert(answers).values(answer).onConflictDoNothing().returning();
      return row;
    },

    /** One helpful vote per person: true when this one counted. */
    async vote(tx: Db, { answerId, userId, at }: { answerId: string; userId: string; at: Date }): Promise<boolean> {
      const [vote] = await tx
        .insert(answerVotes)
        .values({ answerId, userId, votedAt: at })
        .onConflictDoNothing()
        .returning({ answerId: answerVotes.answerId });
      if (!vote) return false;
      await tx
        .update(answers)
        .set({ helpfulVotes: sql`${answers.helpfulVotes} + 1` })
        .where(eq(answers.id, answerId));
      return true;
    },

    /**
     * Counts one use of an answer (shared, or it answered a question before it was posted); a null
     * answer is text that is no saved answer (a triage tree's own) and counts only as the use.
     */
    async recordUse(
      tx: Db,
      use: { answerId: string | null; userId: string; kind: 'shared' | 'deflected'; at: Date },
    ): Promise<void> {
      await tx
        .insert(answerUses)
        .values({ answerId: use.answerId, userId: use.userId, kind: use.kind, usedAt: use.at });
      if (use.answerId)
        await tx
          .update(answers)
          .set({ uses: sql`${answers.uses} + 1` })
          .where(eq(answers.id, use.answerId));
    },

    /** Records a search or a question looked up; its topic is its stemmed words, sorted, so rewordings count together. */
    async recordLookup(lookup: {
      kind: 'search' | 'ask' | 'escalate';
      query: string;
      language: string;
      userId: string;
      answered: boolean;
      at: Date;
    }): Promise<void> {
      await db.insert(answerLookups).values({
        kind: lookup.kind,
        query: lookup.query,
        topic: sql`coalesce(nullif(array_to_string(tsvector_to_array(strip(to_tsvector(${lookup.language}::regconfig, ${lookup.query}))), ' '), ''), lower(${lookup.query}))`,
        userId: lookup.userId,
        answered: lookup.answered,
        lookedUpAt: lookup.at,
      });
    },

    /** What the digest reports about a week: questions answered before posting, answers added, most used, gaps. */
    async metrics(range: TimeRange): Promise<KnowledgeMetrics> {
      const [deflected] = await db
        .select({ n: count() })
        .from(answerUses)
        .where(
          and(eq(answerUses.kind, 'deflected'), gte(answerUses.usedAt, range.start), lt(answerUses.usedAt, range.end)),
        );
      const [added] = await db
        .select({ n: count() })
        .from(answers)
        .where(and(gte(answers.createdAt, range.start), lt(answers.createdAt, range.end)));
      const asked = count(answerLookups.id);
      const gaps = await db
        .select({ topic: answerLookups.topic, example: sql<string>`min(${answerLookups.query})`, asked })
        .from(answerLookups)
        .where(
          and(
            eq(answerLookups.answered, false),
            gte(answerLookups.lookedUpAt, range.start),
            lt(answerLookups.lookedUpAt, range.end),
          ),
        )
        .groupBy(answerLookups.topic)
        .orderBy(desc(asked), answerLookups.topic)
        .limit(GAP_LIMIT);
      return {
        deflected: deflected?.n ?? 0,
        added: added?.n ?? 0,
        mostUsed: await this.mostUsed(range, 3),
        gaps,
      };
    },

    /** How often each topic went unanswered in a range. */
    async gapCounts(range: TimeRange, topics: string[]): Promise<Map<string, number>> {
      if (topics.length === 0) return new Map();
      const asked = count(answerLookups.id);
      const rows = await db
        .select({ topic: answerLookups.topic, asked })
        .from(answerLookups)
        .where(
          and(
            eq(answerLookups.answered, false),
            inArray(answerLookups.topic, topics),
            gte(answerLookups.lookedUpAt, range.start),
            lt(answerLookups.lookedUpAt, range.end),
          ),
        )
        .groupBy(answerLookups.topic);
      return new Map(rows.map((r) => [r.topic, r.asked]));
    },

    /** The most used answers in a range, most first. */
    async mostUsed({ start, end }: TimeRange, limit: number) {
      const uses = count(answerUses.id);
      return await db
        .select({ id: answers.id, title: answers.title, permalink: answers.permalink, status: answers.status, uses })
        .from(answerUses)
        .innerJoin(answers, eq(answers.id, answerUses.answerId))
        .where(and(gte(answerUses.usedAt, start), lt(answerUses.usedAt, end), ne(answers.status, 'retired')))
        .groupBy(answers.id)
        .orderBy(desc(uses), answers.title)
        .limit(limit);
    },
  };
}

export type KnowledgeRepository = ReturnType<typeof createKnowledgeRepository>;
