import { and, asc, eq, inArray, isNotNull, isNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { escalationMetrics, type TimeRange, weeklyOpened } from './escalations.metrics.ts';
import { ALLOWED_FROM, STATUS_AFTER, type EscalationEventKind, type ReminderThreshold } from './escalations.models.ts';
import { escalationEvents, escalationReminders, escalations } from './escalations.table.ts';

export type Escalation = typeof escalations.$inferSelect;
export type NewEscalation = Omit<typeof escalations.$inferInsert, 'id' | 'status' | 'updatedAt'>;
export type EscalationEvent = typeof escalationEvents.$inferSelect;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const LIVE = ['open', 'claimed'] as const;

export function createEscalationsRepository({ db }: { db: Db }) {
  const addEvent = (tx: Db | Tx, escalationId: string, kind: EscalationEventKind, actorId: string, at: Date, detail?: Record<string, string>) =>
    tx.insert(escalationEvents).values({ escalationId, kind, actorId, at, detail: detail ?? null });

  return {
    async get(id: string): Promise<Escalation | undefined> {
      const [row] = await db.select().from(escalations).where(eq(escalations.id, id));
      return row;
    },

    /** Stores a new escalation and its `created` event in one transaction. */
    create(input: NewEscalation): Promise<Escalation> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(escalations).values({ ...input, updatedAt: input.createdAt }).returning();
        await addEvent(tx, row!.id, 'created', input.requesterId, input.createdAt);
        return row!;
      });
    },

    async setMessage(id: string, message: { channelId: string; messageTs: string; messageUrl: string | null }): Promise<void> {
      await db.update(escalations).set(message).where(eq(escalations.id, id));
    },

    /** First claim wins: the UPDATE only matches an open escalation, so a second claimer gets undefined. */
    async claim(id: string, userId: string, now: Date): Promise<Escalation | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(escalations)
          .set({ status: STATUS_AFTER.claim, claimerId: userId, claimedAt: now, updatedAt: now })
          .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM.claim])))
          .returning();
        if (row) await addEvent(tx, id, 'claimed', userId, now);
        return row;
      });
    },

    /** Puts a claimed escalation back in the queue; only its claimer may. The first claim time stays for metrics. */
    async release(id: string, userId: string, now: Date): Promise<Escalation | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(escalations)
          .set({ status: STATUS_AFTER.release, claimerId: null, updatedAt: now })
          .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM.release]), eq(escalations.claimerId, userId)))
          .returning();
        if (row) await addEvent(tx, id, 'released', userId, now);
        return row;
      });
    },

    /** Resolves a live escalation; resolving one nobody claimed counts as acknowledging it too. */
    async resolve(id: string, userId: string, resolution: string, now: Date): Promise<Escalation | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(escalations)
          .set({
            status: STATUS_AFTER.resolve,
            resolvedBy: userId,
            resolvedAt: now,
            resolution,
            claimerId: sql`coalesce(${escalations.claimerId}, ${userId})`,
            claimedAt: sql`coalesce(${escalations.claimedAt}, ${now.toISOString()}::timestamptz)`,
            updatedAt: now,
          })
          .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM.resolve])))
          .returning();
        if (row) await addEvent(tx, id, 'resolved', userId, now);
        return row;
      });
    },

    /** Closes a live escalation as misrouted and opens its successor in another department, atomically. */
    async reassign(id: string, userId: string, successor: (old: Escalation) => NewEscalation, now: Date): Promise<{ old: Escalation; next: Escalation } | undefined> {
      return db.transaction(async (tx) => {
        const [closed] = await tx
          .update(escalations)
          .set({ status: STATUS_AFTER.reassign, updatedAt: now })
          .where(and(eq(escalations.id, id), inArray(escalations.status, [...ALLOWED_FROM.reassign])))
          .returning();
        if (!closed) return undefined;
        const [next] = await tx.insert(escalations).values({ ...successor(closed), reassignedFromId: id, updatedAt: now }).returning();
        const [old] = await tx.update(escalations).set({ reassignedToId: next!.id }).where(eq(escalations.id, id)).returning();
        await addEvent(tx, id, 'reassigned', userId, now, { from: closed.departmentKey, to: next!.departmentKey, to_id: next!.id });
        await addEvent(tx, next!.id, 'created', userId, now, { from: closed.departmentKey, from_id: id });
        return { old: old!, next: next! };
      });
    },

    events: (id: string) => db.select().from(escalationEvents).where(eq(escalationEvents.escalationId, id)).orderBy(asc(escalationEvents.at)),

    addEvent: (id: string, kind: EscalationEventKind, actorId: string, at: Date, detail?: Record<string, string>) => addEvent(db, id, kind, actorId, at, detail),

    /** Live escalations past a target at `now` whose reminder for it is not sent yet, with a posted message to remind in. */
    overdue(now: Date) {
      const unsent = (threshold: ReminderThreshold) =>
        notExists(
          db
            .select({ one: sql`1` })
            .from(escalationReminders)
            .where(and(eq(escalationReminders.escalationId, escalations.id), eq(escalationReminders.threshold, threshold))),
        );
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

    /** Live escalations stored before `before` whose message never reached Slack. */
    unposted: (before: Date) =>
      db
        .select()
        .from(escalations)
        .where(and(inArray(escalations.status, [...LIVE]), isNull(escalations.messageTs), lte(escalations.createdAt, before)))
        .orderBy(asc(escalations.createdAt))
        .limit(50),

    /** Records a reminder; false when some process already sent it. */
    async markReminded(id: string, threshold: ReminderThreshold, now: Date): Promise<boolean> {
      const rows = await db.insert(escalationReminders).values({ escalationId: id, threshold, sentAt: now }).onConflictDoNothing().returning({ id: escalationReminders.escalationId });
      return rows.length === 1;
    },

    /** Forgets a reminder Slack refused, so the next run tries again. */
    async unmarkReminded(id: string, threshold: ReminderThreshold): Promise<void> {
      await db.delete(escalationReminders).where(and(eq(escalationReminders.escalationId, id), eq(escalationReminders.threshold, threshold)));
    },

    /** The digest's escalation numbers for a time range (see escalations.metrics.ts). */
    metrics: (range: TimeRange) => escalationMetrics(db, range),

    /** Escalations opened per week, for the digest chart (see escalations.metrics.ts). */
    weeklyOpened: (weeks: { start: Date; end: Date }[]) => weeklyOpened(db, weeks),

    /** My live escalations (raised or claimed) and the unclaimed queue of my departments, oldest first. */
    async forUser(userId: string, departmentKeys: string[], limit = 20) {
      const mine = await db
        .select()
        .from(escalations)
        .where(and(inArray(escalations.status, [...LIVE]), or(eq(escalations.requesterId, userId), eq(escalations.claimerId, userId))))
        .orderBy(asc(escalations.createdAt))
        .limit(limit);
      const queue =
        departmentKeys.length === 0
          ? []
          : await db
              .select()
              .from(escalations)
              .where(and(eq(escalations.status, 'open'), inArray(escalations.departmentKey, departmentKeys), isNull(escalations.claimerId)))
              .orderBy(asc(escalations.createdAt))
              .limit(limit);
      return { raised: mine.filter((e) => e.requesterId === userId), claimed: mine.filter((e) => e.claimerId === userId && e.requesterId !== userId), queue };
    },
  };
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>;
