import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, notExists, or, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.ts';
import { escalationMetrics, routingAccuracy, type TimeRange, weeklyOpened } from './escalations.metrics.ts';
import {
  ALLOWED_FROM,
  type DueTimes,
  type EscalationAction,
  type EscalationEventKind,
  type EscalationStatus,
  EVENT_OF,
  type Rating,
  type ReminderThreshold,
  reopenedStatus,
  STATUS_AFTER,
} from './escalations.models.ts';
import {
  escalationEvents,
  escalationRatings,
  escalationReminders,
  escalationRoundRobin,
  escalations,
} from './escalations.table.ts';
import type { SimilarOutcomes } from './routing.models.ts';

// How many of the most similar past escalations a suggestion weighs.
const SIMILAR_LIMIT = 20;
// A similar escalation ranks at least this share of the most similar one.
const SIMILAR_SHARE = 0.5;

export type Escalation = typeof escalations.$inferSelect;
export type NewEscalation = Omit<typeof escalations.$inferInsert, 'id' | 'status' | 'updatedAt'>;
export type EscalationEvent = typeof escalationEvents.$inferSelect;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What an action writes besides the status: columns to set, and a further condition it must meet. */
interface ActionChanges {
  set?: Omit<PgUpdateSetSource<typeof escalations>, 'id' | 'status'>;
  onlyIf?: SQL;
  /** Where the action leads when STATUS_AFTER's default does not hold (a reopen to the queue). */
  status?: EscalationStatus;
  /** What the event records besides who and when. */
  detail?: Record<string, string>;
}

const LIVE = ['open', 'claimed'] as const;
const UNFINISHED = [...LIVE, 'on_hold'] as const;

/** The actor of events done through the REST API by someone who is not in Slack. */
export const API_ACTOR = 'api';

export function createEscalationsRepository({ db }: { db: Db }) {
  const unsent = (threshold: ReminderThreshold) =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(escalationReminders)
        .where(and(eq(escalationReminders.escalationId, escalations.id), eq(escalationReminders.threshold, threshold))),
    );

  const addEvent = (
    tx: Db | Tx,
    escalationId: string,
    kind: EscalationEventKind,
    actorId: string,
    at: Date,
    detail?: Record<string, string>,
  ) => tx.insert(escalationEvents).values({ escalationId, kind, actorId, at, detail: detail ?? null });

  /**
   * Takes `action` by `userId` and records its event, in one transaction. ALLOWED_FROM is the UPDATE's
   * WHERE, so of two people acting at once only one wins; undefined when the action did not apply.
   */
  const act = (
    action: EscalationAction,
    id: string,
    userId: string,
    now: Date,
    { set = {}, onlyIf, status = STATUS_AFTER[action], detail }: ActionChanges = {},
  ): Promise<Escalation | undefined> =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .update(escalations)
        .set({ ...set, status, updatedAt: now })
        .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM[action]]), onlyIf))
        .returning();
      if (row) await addEvent(tx, id, EVENT_OF[action], userId, now, detail);
      return row;
    });

  /** Ends the current hold, if any, adding it to the time on hold. */
  const endHold = (now: Date) => ({
    heldMs: sql`${escalations.heldMs} + coalesce(floor(extract(epoch from ${now.toISOString()}::timestamptz - ${escalations.holdSince}) * 1000), 0)::bigint`,
    holdReason: null,
    holdSince: null,
    holdUntil: null,
  });

  return {
    /**
     * Where the past escalations most like `text` ended (full-text search over summaries, any word
     * matching): how many each team resolved, and how many it reassigned away.
     */
    async similarOutcomes(text: string): Promise<SimilarOutcomes[]> {
      // Each stemmed word of the text, quoted, OR-ed: a summary sharing any of them is a candidate.
      const query = sql`to_tsquery('simple', coalesce((select string_agg(quote_literal(w), ' | ') from unnest(tsvector_to_array(to_tsvector('english', ${text}))) w), ''))`;
      const vector = sql`to_tsvector('english', ${escalations.summary})`;
      const rows = await db
        .select({
          departmentKey: escalations.departmentKey,
          status: escalations.status,
          rank: sql<number>`ts_rank(${vector}, ${query})`,
        })
        .from(escalations)
        .where(and(inArray(escalations.status, ['resolved', 'reassigned']), sql`${vector} @@ ${query}`))
        .orderBy(sql`ts_rank(${vector}, ${query}) desc`, desc(escalations.createdAt))
        .limit(SIMILAR_LIMIT);
      // Only the close ones: a summary sharing one common word with the text is not "similar".
      const closeEnough = (rows[0]?.rank ?? 0) * SIMILAR_SHARE;
      const outcomes = new Map<string, SimilarOutcomes>();
      for (const row of rows.filter((r) => r.rank >= closeEnough)) {
        const o = outcomes.get(row.departmentKey) ?? {
          departmentKey: row.departmentKey,
          resolved: 0,
          reassignedAway: 0,
        };
        if (row.status === 'resolved') o.resolved++;
        else o.reassignedAway++;
        outcomes.set(row.departmentKey, o);
      }
      return [...outcomes.values()];
    },

    async get(id: string): Promise<Escalation | undefined> {
      const [row] = await db.select().from(escalations).where(eq(escalations.id, id));
      return row;
    },

    /** The escalation people call ESC-`number`. */
    async byNumber(number: number): Promise<Escalation | undefined> {
      const [row] = await db.select().from(escalations).where(eq(escalations.number, number));
      return row;
    },

    /** The escalation another tool raised with this id of its own. */
    async byExternalId(externalId: string): Promise<Escalation | undefined> {
      const [row] = await db.select().from(escalations).where(eq(escalations.externalId, externalId));
      return row;
    },

    /**
     * Stores a new escalation and its `created` event in one transaction. Undefined when one with the
     * same external id exists: of concurrent calls with one id, the unique index lets one insert.
     */
    create(input: NewEscalation): Promise<Escalation | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(escalations)
          .values({ ...input, updatedAt: input.createdAt })
          .onConflictDoNothing({ target: escalations.externalId })
          .returning();
        if (row) await addEvent(tx, row.id, 'created', input.requesterId ?? API_ACTOR, input.createdAt);
        return row;
      });
    },

    async setMessage(
      id: string,
      message: { channelId: string; messageTs: string; messageUrl: string | null },
    ): Promise<void> {
      await db.update(escalations).set(message).where(eq(escalations.id, id));
    },

    act,

    /** First claim wins. */
    claim(id: string, userId: string, now: Date) {
      return act('claim', id, userId, now, { set: { claimerId: userId, claimedAt: now } });
    },

    /** Puts a claimed escalation back in the queue; only its claimer may. The first claim time stays for metrics. */
    release(id: string, userId: string, now: Date) {
      return act('release', id, userId, now, { set: { claimerId: null }, onlyIf: eq(escalations.claimerId, userId) });
    },

    /**
     * Resolves a live or held escalation; resolving one nobody claimed counts as acknowledging it too.
     * It may be reopened until `reopenableUntil`.
     */
    resolve(id: string, userId: string, resolution: string, now: Date, reopenableUntil: Date | null = null) {
      const set = {
        ...endHold(now),
        resolvedBy: userId,
        resolvedAt: now,
        resolution,
        reopenableUntil,
        claimerId: sql`coalesce(${escalations.claimerId}, ${userId})`,
        claimedAt: sql`coalesce(${escalations.claimedAt}, ${now.toISOString()}::timestamptz)`,
      };
      return act('resolve', id, userId, now, { set });
    },

    /** Round-robin's choice for a new escalation, recorded with its event. */
    async assign(id: string, userId: string, now: Date): Promise<Escalation> {
      const [row] = await db.update(escalations).set({ assigneeId: userId }).where(eq(escalations.id, id)).returning();
      await addEvent(db, id, 'assigned', 'system', now, { to: userId, by: 'round-robin' });
      return row!;
    },

    /** Gives an escalation its assignee back to the queue; only the assignee may, and only before anyone claims it. */
    handBack(id: string, userId: string, now: Date) {
      return act('hand_back', id, userId, now, {
        set: { assigneeId: null },
        onlyIf: eq(escalations.assigneeId, userId),
      });
    },

    /**
     * Takes the department's next round-robin turn: `pick` gets whose turn was last and names the next
     * person, who is stored as last. The cursor row stays locked until the caller's transaction ends,
     * so two escalations raised at once take two turns, one after the other.
     */
    async takeTurn(
      departmentKey: string,
      pick: (last: string | null) => string | undefined,
      now: Date,
    ): Promise<string | undefined> {
      await db.insert(escalationRoundRobin).values({ departmentKey, updatedAt: now }).onConflictDoNothing();
      const [cursor] = await db
        .select()
        .from(escalationRoundRobin)
        .where(eq(escalationRoundRobin.departmentKey, departmentKey))
        .for('update');
      const next = pick(cursor?.lastUserId ?? null);
      if (next)
        await db
          .update(escalationRoundRobin)
          .set({ lastUserId: next, updatedAt: now })
          .where(eq(escalationRoundRobin.departmentKey, departmentKey));
      return next;
    },

    /**
     * Records the requester's rating of a resolved escalation; true when it is new or changed (a
     * repeated click changes nothing). The caller checks who may rate.
     */
    async rate(id: string, requesterId: string, rating: Rating, now: Date): Promise<boolean> {
      const rows = await db
        .insert(escalationRatings)
        .values({ escalationId: id, requesterId, rating, ratedAt: now })
        .onConflictDoUpdate({
          target: escalationRatings.escalationId,
          set: { rating, ratedAt: now, comment: null },
          setWhere: sql`${escalationRatings.rating} <> ${rating}`,
        })
        .returning({ id: escalationRatings.escalationId });
      if (rows.length === 1) await addEvent(db, id, 'rated', requesterId, now, { rating });
      return rows.length === 1;
    },

    async ratingOf(id: string) {
      const [row] = await db.select().from(escalationRatings).where(eq(escalationRatings.escalationId, id));
      return row;
    },

    /** Adds the thumbs-down form's comment; false unless the rating is (still) a thumbs-down. */
    async commentOnRating(id: string, comment: string): Promise<boolean> {
      const rows = await db
        .update(escalationRatings)
        .set({ comment })
        .where(and(eq(escalationRatings.escalationId, id), eq(escalationRatings.rating, 'bad')))
        .returning({ id: escalationRatings.escalationId });
      return rows.length === 1;
    },

    /** Only its claimer may put it on hold; its clocks stop until it resumes. */
    hold(id: string, userId: string, hold: { reason: string; until: Date | null }, now: Date) {
      return act('hold', id, userId, now, {
        set: { holdReason: hold.reason, holdSince: now, holdUntil: hold.until },
        onlyIf: eq(escalations.claimerId, userId),
        detail: { reason: hold.reason, ...(hold.until ? { until: hold.until.toISOString() } : {}) },
      });
    },

    /** Ends the hold that began at `heldSince` (not a later one), with the due times moved past it. */
    resume(id: string, userId: string, heldSince: Date, due: DueTimes, now: Date, why: string) {
      return act('resume', id, userId, now, {
        set: { ...endHold(now), ...due },
        onlyIf: eq(escalations.holdSince, heldSince),
        detail: { why },
      });
    },

    /** Reopens a resolution still within its window, with fresh due times, to `claimerId` or the queue. */
    reopen(
      id: string,
      userId: string,
      reopened: { claimerId: string | null; due: DueTimes; reason: string },
      now: Date,
    ) {
      return act('reopen', id, userId, now, {
        set: {
          ...reopened.due,
          claimerId: reopened.claimerId,
          resolvedBy: null,
          resolvedAt: null,
          resolution: null,
          reopenableUntil: null,
        },
        onlyIf: gt(escalations.reopenableUntil, now),
        status: reopenedStatus(reopened.claimerId !== null),
        detail: { reason: reopened.reason },
      });
    },

    /** When it was last reopened, if ever: its targets run from then. */
    async lastReopenedAt(id: string): Promise<Date | undefined> {
      const [row] = await db
        .select({ at: escalationEvents.at })
        .from(escalationEvents)
        .where(and(eq(escalationEvents.escalationId, id), eq(escalationEvents.kind, 'reopened')))
        .orderBy(desc(escalationEvents.at))
        .limit(1);
      return row?.at;
    },

    /** Forgets the reminders sent, so the new targets of a reopened escalation are reminded about again. */
    async forgetReminders(id: string, thresholds: ReminderThreshold[]): Promise<void> {
      if (thresholds.length === 0) return;
      await db
        .delete(escalationReminders)
        .where(and(eq(escalationReminders.escalationId, id), inArray(escalationReminders.threshold, thresholds)));
    },

    /** The escalation whose card is the message `ts` in `channelId` (a thread's parent). */
    async byMessage(channelId: string, ts: string): Promise<Escalation | undefined> {
      const [row] = await db
        .select()
        .from(escalations)
        .where(and(eq(escalations.channelId, channelId), eq(escalations.messageTs, ts)));
      return row;
    },

    /** Held escalations whose date to come back has arrived. */
    holdsEnding: (now: Date) =>
      db
        .select()
        .from(escalations)
        .where(and(eq(escalations.status, 'on_hold'), lte(escalations.holdUntil, now)))
        .orderBy(asc(escalations.holdUntil))
        .limit(200),

    /** Closes the reopen window of resolutions past it; returns those whose card must lose its button. */
    closeReopenWindows: (now: Date) =>
      db
        .update(escalations)
        .set({ reopenableUntil: null })
        .where(lte(escalations.reopenableUntil, now))
        .returning({ id: escalations.id }),

    /** Closes a live escalation as misrouted and opens its successor in another department, atomically. */
    async reassign(
      id: string,
      userId: string,
      successor: (old: Escalation) => NewEscalation,
      now: Date,
    ): Promise<{ old: Escalation; next: Escalation } | undefined> {
      return db.transaction(async (tx) => {
        const [closed] = await tx
          .update(escalations)
          .set({ status: STATUS_AFTER.reassign, updatedAt: now })
          .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM.reassign])))
          .returning();
        if (!closed) return undefined;
        const [next] = await tx
          .insert(escalations)
          .values({ ...successor(closed), reassignedFromId: id, updatedAt: now })
          .returning();
        const [old] = await tx
          .update(escalations)
          .set({ reassignedToId: next!.id })
          .where(eq(escalations.id, id))
          .returning();
        await addEvent(tx, id, 'reassigned', userId, now, {
          from: closed.departmentKey,
          to: next!.departmentKey,
          to_id: next!.id,
        });
        await addEvent(tx, next!.id, 'created', userId, now, { from: closed.departmentKey, from_id: id });
        return { old: old!, next: next! };
      });
    },

    events: (id: string) =>
      db.select().from(escalationEvents).where(eq(escalationEvents.escalationId, id)).orderBy(asc(escalationEvents.at)),

    addEvent: (id: string, kind: EscalationEventKind, actorId: string, at: Date, detail?: Record<string, string>) =>
      addEvent(db, id, kind, actorId, at, detail),

    /** Live escalations past a target at `now` whose reminder for it is not sent yet, with a posted message to remind in. */
    overdue(now: Date) {
      const open = eq(escalations.status, 'open');
      return db
        .select()
        .from(escalations)
        .where(
          and(
            inArray(escalations.status, [...LIVE]),
            isNotNull(escalations.messageTs),
            or(
              and(open, lte(escalations.ackDueAt, now), unsent('ack')),
              and(open, lte(escalations.ackAlertAt, now), unsent('ack_alert')),
              and(lte(escalations.resolveDueAt, now), unsent('resolve')),
            ),
          ),
        )
        .orderBy(asc(escalations.createdAt))
        .limit(500);
    },

    /**
     * Live posted escalations whose targets are still ahead and not yet warned about: the SLA check
     * works out which have reached their warning share (see warningsDue).
     */
    dueSoonCandidates(now: Date) {
      return db
        .select()
        .from(escalations)
        .where(
          and(
            inArray(escalations.status, [...LIVE]),
            isNotNull(escalations.messageTs),
            or(
              and(eq(escalations.status, 'open'), gt(escalations.ackDueAt, now), unsent('ack_warning')),
              and(gt(escalations.resolveDueAt, now), unsent('resolve_warning')),
            ),
          ),
        )
        .orderBy(asc(escalations.resolveDueAt))
        .limit(500);
    },

    /** Live escalations stored before `before` whose message never reached Slack. */
    unposted: (before: Date) =>
      db
        .select()
        .from(escalations)
        .where(
          and(
            inArray(escalations.status, [...LIVE]),
            isNull(escalations.messageTs),
            lte(escalations.createdAt, before),
          ),
        )
        .orderBy(asc(escalations.createdAt))
        .limit(50),

    /** Records a reminder; false when some process already sent it. */
    async markReminded(id: string, threshold: ReminderThreshold, now: Date): Promise<boolean> {
      const rows = await db
        .insert(escalationReminders)
        .values({ escalationId: id, threshold, sentAt: now })
        .onConflictDoNothing()
        .returning({ id: escalationReminders.escalationId });
      return rows.length === 1;
    },

    /** The digest's escalation numbers for a time range (see escalations.metrics.ts). */
    metrics: (range: TimeRange) => escalationMetrics(db, range),

    /** Per department, the share of first sends it resolved itself (see escalations.metrics.ts). */
    routingAccuracy: (range: TimeRange) => routingAccuracy(db, range),

    /** Escalations opened per week, for the digest chart (see escalations.metrics.ts). */
    weeklyOpened: (weeks: { start: Date; end: Date }[]) => weeklyOpened(db, weeks),

    /** My live escalations (raised or claimed) and the unclaimed queue of my departments, oldest first. */
    async forUser(userId: string, departmentKeys: string[], limit = 20) {
      const mine = await db
        .select()
        .from(escalations)
        .where(
          and(
            inArray(escalations.status, [...UNFINISHED]),
            or(eq(escalations.requesterId, userId), eq(escalations.claimerId, userId)),
          ),
        )
        .orderBy(asc(escalations.createdAt))
        .limit(limit);
      const queue =
        departmentKeys.length === 0
          ? []
          : await db
              .select()
              .from(escalations)
              .where(
                and(
                  eq(escalations.status, 'open'),
                  inArray(escalations.departmentKey, departmentKeys),
                  isNull(escalations.claimerId),
                ),
              )
              .orderBy(asc(escalations.createdAt))
              .limit(limit);
      return {
        raised: mine.filter((e) => e.requesterId === userId),
        claimed: mine.filter((e) => e.claimerId === userId && e.requesterId !== userId),
        queue,
      };
    },
  };
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
