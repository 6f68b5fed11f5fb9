// Questions held before posting while their askers read the answers offered (see knowledge.suggest.ts).
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { QuestionKind } from '../before-posting.ts';
import type { Db } from '../db/client.ts';
import { heldQuestions } from './knowledge.table.ts';

export type HeldQuestion = typeof heldQuestions.$inferSelect;

export function createHeldQuestionsRepository({ db }: { db: Db }) {
  return {
    /** Keeps a question; undefined when a retry of the same request kept it already. */
    async hold(question: {
      kind: QuestionKind;
      userId: string;
      question: string;
      retryKey: string;
      draft: Record<string, unknown>;
      answerIds: string[];
      createdAt: Date;
    }): Promise<HeldQuestion | undefined> {
      const [row] = await db.insert(heldQuestions).values(question).onConflictDoNothing().returning();
      return row;
    },

    /** Forgets the questions held before `before`, whatever became of them. */
    async forget(before: Date): Promise<void> {
      await db.delete(heldQuestions).where(lt(heldQuestions.createdAt, before));
    },

    async get(id: string): Promise<HeldQuestion | undefined> {
      const [row] = await db.select().from(heldQuestions).where(eq(heldQuestions.id, id));
      return row;
    },

    /** Offered → answered by one of its offered answers; false when it was decided already (a race, a repeat). */
    async markAnswered(tx: Db, { id, answerId, at }: { id: string; answerId: string; at: Date }): Promise<boolean> {
      const rows = await tx
        .update(heldQuestions)
        .set({ status: 'answered', answeredById: answerId, decidedAt: at })
        .where(
          and(
            eq(heldQuestions.id, id),
            eq(heldQuestions.status, 'offered'),
            sql`${answerId}::uuid = any(${heldQuestions.answerIds})`,
          ),
        )
        .returning({ id: heldQuestions.id });
      return rows.length > 0;
    },

    /**
     * Offered → posting; a posting one again too (a double click, or a crash mid-way: the poster's
     * own dedupe posts it once). False when it was answered or posted already.
     */
    async startPosting({ id, at }: { id: string; at: Date }): Promise<boolean> {
      const rows = await db
        .update(heldQuestions)
        .set({ status: 'posting', decidedAt: at })
        .where(and(eq(heldQuestions.id, id), inArray(heldQuestions.status, ['offered', 'posting'])))
        .returning({ id: heldQuestions.id });
      return rows.length > 0;
    },

    /** Posting failed (no help channel any more, Slack refused): the asker may choose again. */
    async backToOffered(id: string): Promise<void> {
      await db
        .update(heldQuestions)
        .set({ status: 'offered', decidedAt: null })
        .where(and(eq(heldQuestions.id, id), eq(heldQuestions.status, 'posting')));
    },

    async markPosted(tx: Db, { id, reply }: { id: string; reply: string }): Promise<void> {
      await tx.update(heldQuestions).set({ status: 'posted', postedReply: reply }).where(eq(heldQuestions.id, id));
    },

    /**
     * Whether this person is posting, or posted since `since`, a held question of this kind that
     * contains `question` (a help request's question is what was typed, less a leading topic).
     */
    async postedSince({
      userId,
      kind,
      question,
      since,
    }: {
      userId: string;
      kind: QuestionKind;
      question: string;
      since: Date;
    }): Promise<boolean> {
      const [row] = await db
        .select({ id: heldQuestions.id })
        .from(heldQuestions)
        .where(
          and(
            eq(heldQuestions.userId, userId),
            eq(heldQuestions.kind, kind),
            inArray(heldQuestions.status, ['posting', 'posted']),
            gte(heldQuestions.decidedAt, since),
            sql`strpos(${heldQuestions.question}, ${question}) > 0`,
          ),
        )
        .limit(1);
      return row !== undefined;
    },
  };
}

export type HeldQuestionsRepository = ReturnType<typeof createHeldQuestionsRepository>;
