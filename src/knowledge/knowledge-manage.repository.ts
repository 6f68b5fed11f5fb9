// The queries that keep answers right: edits, status changes, confirmations and the review requests.
import { and, asc, eq, inArray, isNotNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Answer } from './knowledge.repository.ts';
import { answerReviewRequests, answers } from './knowledge.table.ts';

/** What decides who may change an answer (see mayChangeAnswer). */
export type AnswerRights = Pick<Answer, 'id' | 'creditedUserIds' | 'createdBy' | 'departmentKey'>;
export type ChangeOutcome = 'changed' | 'already' | 'missing';

const rights = {
  id: answers.id,
  creditedUserIds: answers.creditedUserIds,
  createdBy: answers.createdBy,
  departmentKey: answers.departmentKey,
};

export function createAnswerManagementRepository({ db }: { db: Db }) {
  /** Tells a change that matched nothing apart: no such answer (or retired), or already so. */
  const outcomeOf = async (id: string, changed: boolean): Promise<ChangeOutcome> => {
    if (changed) return 'changed';
    const [row] = await db.select({ status: answers.status }).from(answers).where(eq(answers.id, id));
    return row && row.status !== 'retired' ? 'already' : 'missing';
  };

  return {
    /** Who may change each of these answers. */
    async rightsOf(ids: string[]): Promise<AnswerRights[]> {
      if (ids.length === 0) return [];
      return await db.select(rights).from(answers).where(inArray(answers.id, ids));
    },

    /**
     * Rewrites an answer's question, answer and status, as long as nobody changed it since the form
     * was opened (`openedAt` is the updatedAt the form saw); an edit confirms it is right.
     */
    async edit(change: {
      id: string;
      title: string;
      body: string;
      status: 'active' | 'outdated';
      openedAt: Date;
      at: Date;
    }): Promise<'changed' | 'stale' | 'missing'> {
      const rows = await db
        .update(answers)
        .set({
          title: change.title,
          body: change.body,
          status: change.status,
          updatedAt: change.at,
          confirmedAt: change.at,
        })
        .where(and(eq(answers.id, change.id), ne(answers.status, 'retired'), eq(answers.updatedAt, change.openedAt)))
        .returning({ id: answers.id });
      if (rows.length > 0) return 'changed';
      return (await outcomeOf(change.id, false)) === 'missing' ? 'missing' : 'stale';
    },

    /** Marks an answer outdated or retires it; a retired answer stays retired. */
    async setStatus({ id, status, at }: { id: string; status: 'outdated' | 'retired'; at: Date }) {
      const rows = await db
        .update(answers)
        .set({ status, updatedAt: at })
        .where(and(eq(answers.id, id), ne(answers.status, status), ne(answers.status, 'retired')))
        .returning({ id: answers.id });
      return await outcomeOf(id, rows.length > 0);
    },

    /** Records that someone said an answer is still right; it is active again if it was marked outdated. */
    async confirm({ id, at }: { id: string; at: Date }): Promise<ChangeOutcome> {
      const rows = await db
        .update(answers)
        .set({ confirmedAt: at, status: 'active' })
        .where(and(eq(answers.id, id), ne(answers.status, 'retired')))
        .returning({ id: answers.id });
      return await outcomeOf(id, rows.length > 0);
    },

    /** Active answers with someone to ask that nobody has confirmed since `cutoff`, longest unconfirmed first. */
    async dueForReview(cutoff: Date, limit: number) {
      const hasAuthor = or(sql`cardinality(${answers.creditedUserIds}) > 0`, isNotNull(answers.createdBy));
      return await db
        .select({ ...rights, title: answers.title, body: answers.body, confirmedAt: answers.confirmedAt })
        .from(answers)
        .where(and(eq(answers.status, 'active'), lt(answers.confirmedAt, cutoff), hasAuthor))
        .orderBy(asc(answers.confirmedAt), asc(answers.id))
        .limit(limit);
    },

    /**
     * Claims this week's review DM to an author: true unless they had one since `notSince`. The row
     * lock makes two schedulers claiming at once agree on one.
     */
    async claimReviewRequest(tx: Db, { userId, at, notSince }: { userId: string; at: Date; notSince: Date }) {
      const rows = await tx
        .insert(answerReviewRequests)
        .values({ userId, requestedAt: at })
        .onConflictDoUpdate({
          target: answerReviewRequests.userId,
          set: { requestedAt: at },
          setWhere: lt(answerReviewRequests.requestedAt, notSince),
        })
        .returning({ userId: answerReviewRequests.userId });
      return rows.length === 1;
    },

    /** Notes when answers were last sent to their authors for review. */
    async markReviewRequested(tx: Db, ids: string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await tx.update(answers).set({ reviewRequestedAt: at }).where(inArray(answers.id, ids));
    },
  };
}

export type AnswerManagementRepository = ReturnType<typeof createAnswerManagementRepository>;
