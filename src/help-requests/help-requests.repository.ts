import { and, asc, countDistinct, desc, eq, gte, isNotNull, lt, lte, ne, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Urgency } from './help-requests.models.ts';
import { helpKudos, helpNudges, helpRequestHelpers, helpRequests } from './help-requests.table.ts';
import { type HelpMetrics, summarizeHelpMetrics } from './metrics.models.ts';

export type HelpRequest = typeof helpRequests.$inferSelect;
export type Helper = typeof helpRequestHelpers.$inferSelect;

export interface NewHelpRequest {
  question: string;
  context?: string | null;
  urgency: Urgency;
  customer?: string | null;
  topic?: string | null;
  topicPeople?: string[];
  askerId: string;
  sourcePermalink?: string | null;
  raisedVia?: 'slack' | 'api';
  externalId?: string | null;
}

/** What happened when someone pressed "I can help". */
export type ClaimOutcome = 'claimed' | 'joined' | 'already_helping' | 'solved' | 'not_found';

const unsolved = ne(helpRequests.status, 'solved');

const helpersOf = (db: Pick<Db, 'select'>, requestId: number): Promise<Helper[]> =>
  db
    .select()
    .from(helpRequestHelpers)
    .where(eq(helpRequestHelpers.requestId, requestId))
    .orderBy(
      desc(sql`${helpRequestHelpers.role} = 'first'`),
      asc(helpRequestHelpers.joinedAt),
      asc(helpRequestHelpers.userId),
    );

export function createHelpRequestsRepository({ db }: { db: Db }) {
  return {
    /** Stores a request; undefined when one with the same external id exists (the unique index decides). */
    async create(input: NewHelpRequest, now: Date): Promise<HelpRequest | undefined> {
      const [row] = await db
        .insert(helpRequests)
        .values({ ...input, createdAt: now })
        .onConflictDoNothing({ target: helpRequests.externalId })
        .returning();
      return row;
    },

    /** Frees a request's external id, so the tool may ask again with it (the request was never posted). */
    async forgetExternalId(id: number): Promise<void> {
      await db.update(helpRequests).set({ externalId: null }).where(eq(helpRequests.id, id));
    },

    /** The request another tool asked with this id of its own. */
    async byExternalId(externalId: string): Promise<HelpRequest | undefined> {
      const [row] = await db.select().from(helpRequests).where(eq(helpRequests.externalId, externalId));
      return row;
    },

    async markPosted(
      id: number,
      where: { channelId: string; messageTs: string; permalink: string | null },
    ): Promise<void> {
      await db.update(helpRequests).set(where).where(eq(helpRequests.id, id));
    },

    async get(id: number): Promise<HelpRequest | undefined> {
      const [row] = await db.select().from(helpRequests).where(eq(helpRequests.id, id));
      return row;
    },

    /** Helpers in the order they joined (the first one claimed it). */
    helpers: (requestId: number): Promise<Helper[]> => helpersOf(db, requestId),

    /**
     * Records "I can help". The first helper wins a conditional UPDATE (open → claimed), so two
     * people clicking at once settle on one; everyone else joins once, thanks to the primary key.
     */
    claim(requestId: number, userId: string, now: Date): Promise<ClaimOutcome> {
      return db.transaction(async (tx) => {
        const won = await tx
          .update(helpRequests)
          .set({ status: 'claimed', firstHelperId: userId, firstHelpedAt: now })
          .where(and(eq(helpRequests.id, requestId), eq(helpRequests.status, 'open')))
          .returning({ id: helpRequests.id });
        if (won.length === 1) {
          await tx.insert(helpRequestHelpers).values({ requestId, userId, role: 'first', joinedAt: now });
          return 'claimed';
        }
        const [request] = await tx
          .select({ status: helpRequests.status })
          .from(helpRequests)
          .where(eq(helpRequests.id, requestId));
        if (!request) return 'not_found';
        if (request.status === 'solved') return 'solved';
        const joined = await tx
          .insert(helpRequestHelpers)
          .values({ requestId, userId, role: 'extra', joinedAt: now })
          .onConflictDoNothing()
          .returning({ userId: helpRequestHelpers.userId });
        return joined.length === 1 ? 'joined' : 'already_helping';
      });
    },

    /** Marks a request solved; undefined when it already was (a double submit). */
    async solve(
      requestId: number,
      by: { userId: string; note: string | null },
      now: Date,
    ): Promise<HelpRequest | undefined> {
      const [row] = await db
        .update(helpRequests)
        .set({ status: 'solved', solvedAt: now, solvedBy: by.userId, solveNote: by.note })
        .where(and(eq(helpRequests.id, requestId), unsolved))
        .returning();
      return row;
    },

    async addKudos(requestId: number, userIds: string[], givenBy: string, now: Date): Promise<void> {
      if (userIds.length === 0) return;
      await db
        .insert(helpKudos)
        .values(userIds.map((userId) => ({ requestId, userId, givenBy, createdAt: now })))
        .onConflictDoNothing();
    },

    async kudosCount(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(helpKudos)
        .where(eq(helpKudos.userId, userId));
      return row?.n ?? 0;
    },

    /** The person's own unsolved requests, newest first. */
    openAskedBy: (userId: string, limit = 10) =>
      db
        .select()
        .from(helpRequests)
        .where(and(eq(helpRequests.askerId, userId), unsolved, isNotNull(helpRequests.messageTs)))
        .orderBy(desc(helpRequests.createdAt))
        .limit(limit),

    /** Recent unsolved requests from other people that this person is not helping with yet, newest first. */
    openAskedByOthers: (userId: string, limit = 200) =>
      db
        .select()
        .from(helpRequests)
        .where(
          and(
            ne(helpRequests.askerId, userId),
            unsolved,
            isNotNull(helpRequests.messageTs),
            notExists(
              db
                .select({ one: sql`1` })
                .from(helpRequestHelpers)
                .where(and(eq(helpRequestHelpers.requestId, helpRequests.id), eq(helpRequestHelpers.userId, userId))),
            ),
          ),
        )
        .orderBy(desc(helpRequests.createdAt))
        .limit(limit),

    /** How many different people this person has helped since `since`. */
    async teammatesHelpedSince(userId: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: countDistinct(helpRequests.askerId) })
        .from(helpRequestHelpers)
        .innerJoin(helpRequests, eq(helpRequests.id, helpRequestHelpers.requestId))
        .where(and(eq(helpRequestHelpers.userId, userId), gte(helpRequestHelpers.joinedAt, since)));
      return Number(row?.n ?? 0);
    },

    /** Posted requests still unclaimed since `askedBefore` that have not had nudge `level` yet. */
    unclaimedWithoutNudge: (level: number, askedBefore: Date, limit = 100) =>
      db
        .select()
        .from(helpRequests)
        .where(
          and(
            eq(helpRequests.status, 'open'),
            isNotNull(helpRequests.messageTs),
            lte(helpRequests.createdAt, askedBefore),
            notExists(
              db
                .select({ one: sql`1` })
                .from(helpNudges)
                .where(and(eq(helpNudges.requestId, helpRequests.id), eq(helpNudges.level, level))),
            ),
          ),
        )
        .orderBy(asc(helpRequests.createdAt))
        .limit(limit),

    /** Claims the right to send one nudge; false when another process (or run) already did. */
    async recordNudge(requestId: number, level: number, now: Date): Promise<boolean> {
      const rows = await db
        .insert(helpNudges)
        .values({ requestId, level, sentAt: now })
        .onConflictDoNothing()
        .returning({ level: helpNudges.level });
      return rows.length === 1;
    },

    /**
     * The digest's numbers for [from, to): requests asked in the range (and how far they got),
     * and the helping done in it. Reads only the range, through the created_at/joined_at indexes.
     */
    async metrics(range: { from: Date; to: Date }): Promise<HelpMetrics> {
      const [requests, helpers] = await Promise.all([
        db
          .select({
            createdAt: helpRequests.createdAt,
            firstHelpedAt: helpRequests.firstHelpedAt,
            solvedAt: helpRequests.solvedAt,
            topic: helpRequests.topic,
          })
          .from(helpRequests)
          .where(and(gte(helpRequests.createdAt, range.from), lt(helpRequests.createdAt, range.to))),
        db
          .select({ userId: helpRequestHelpers.userId })
          .from(helpRequestHelpers)
          .where(and(gte(helpRequestHelpers.joinedAt, range.from), lt(helpRequestHelpers.joinedAt, range.to))),
      ]);
      return summarizeHelpMetrics(requests, helpers);
    },
  };
}

export type HelpRequestsRepository = ReturnType<typeof createHelpRequestsRepository>;
