import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  lte,
  max,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { OPEN_STATUSES, type SessionStatus, TURN_STATUSES } from './rotations.models.ts';
import type { PlannedSeat } from './rotations.planner.ts';
import { rotations, shadowMessages, shadowNotices, shadowReflections, shadowSessions } from './rotations.table.ts';

export type Session = typeof shadowSessions.$inferSelect;
export type SessionWithRotation = Session & {
  rotationName: string;
  rotationCreatedBy: string;
  rotationDeletedAt: Date | null;
};
/** Where a message mirroring sessions landed in Slack. */
export type StoredMessage = typeof shadowMessages.$inferSelect;

type Reader = Pick<Db, 'select'>;

/** A seat counts as a turn once declined, held or missed, or once its time has passed. */
const countsAsTurn = (now: Date) =>
  or(
    inArray(shadowSessions.status, TURN_STATUSES),
    and(inArray(shadowSessions.status, OPEN_STATUSES), lte(shadowSessions.startsAt, now)),
  );

/** Turns and last turn per shadow of a rotation (history only; future seats are the planner's). */
export async function turnsOf(db: Reader, rotationId: number, now: Date) {
  const rows = await db
    .select({ userId: shadowSessions.shadowId, turns: count(), lastAt: max(shadowSessions.startsAt) })
    .from(shadowSessions)
    .where(and(eq(shadowSessions.rotationId, rotationId), countsAsTurn(now)))
    .groupBy(shadowSessions.shadowId);
  return new Map(rows.map((r) => [r.userId, { turns: Number(r.turns), lastAt: r.lastAt ? new Date(r.lastAt) : null }]));
}

const withRotation = {
  ...getTableColumns(shadowSessions),
  rotationName: rotations.name,
  rotationCreatedBy: rotations.createdBy,
  rotationDeletedAt: rotations.deletedAt,
};

/** Shadow sessions: planning writes, answers (accept, skip, swap), notices, stats and digest metrics. */
export function createSessionsRepository({ db }: { db: Db }) {
  const selectSessions = () =>
    db.select(withRotation).from(shadowSessions).innerJoin(rotations, eq(rotations.id, shadowSessions.rotationId));
  const liveRotation = sql`${rotations.deletedAt} is null`;
  /** A person's seats still to come with one of `statuses`, soonest first. */
  const futureSeatsOf = (userId: string, now: Date, statuses: SessionStatus[], also: SQL) =>
    selectSessions()
      .where(
        and(
          eq(shadowSessions.shadowId, userId),
          gt(shadowSessions.startsAt, now),
          inArray(shadowSessions.status, statuses),
          also,
        ),
      )
      .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.rotationId));

  return {
    async get(id: number): Promise<SessionWithRotation | undefined> {
      const [row] = await selectSessions().where(eq(shadowSessions.id, id));
      return row;
    },

    turnsOf: (rotationId: number, now: Date) => turnsOf(db, rotationId, now),

    /** Hosted sessions per host of a rotation, for balancing load. */
    async hostLoad(rotationId: number) {
      const rows = await db
        .select({
          userId: shadowSessions.hostId,
          load: sql<number>`count(distinct ${shadowSessions.startsAt})`,
          lastAt: max(shadowSessions.startsAt),
        })
        .from(shadowSessions)
        .where(
          and(
            eq(shadowSessions.rotationId, rotationId),
            inArray(shadowSessions.status, ['held', 'no_show', 'accepted', 'offered', 'planned']),
          ),
        )
        .groupBy(shadowSessions.hostId);
      return new Map(
        rows.map((r) => [r.userId, { load: Number(r.load), lastAt: r.lastAt ? new Date(r.lastAt) : null }]),
      );
    },

    /** Future seats someone holds or is being asked to hold. */
    futureOpen: (rotationId: number, now: Date) =>
      db
        .select()
        .from(shadowSessions)
        .where(
          and(
            eq(shadowSessions.rotationId, rotationId),
            gt(shadowSessions.startsAt, now),
            inArray(shadowSessions.status, OPEN_STATUSES),
          ),
        ),

    futureDeclined: (rotationId: number, now: Date) =>
      db
        .select()
        .from(shadowSessions)
        .where(
          and(
            eq(shadowSessions.rotationId, rotationId),
            gt(shadowSessions.startsAt, now),
            eq(shadowSessions.status, 'declined'),
          ),
        ),

    /**
     * Stores a plan: released seats are cancelled, kept seats get their (possibly new) host, new
     * seats are inserted as planned; returns the seats cancelled and those whose host changed.
     * A seat another process filled meanwhile is left to it.
     */
    async applyPlan(
      rotationId: number,
      durationMinutes: number,
      plan: { seats: PlannedSeat[]; released: { startsAt: number; seat: number; shadowId: string }[] },
      now: Date,
    ): Promise<{ cancelled: Session[]; rehosted: Session[] }> {
      return db.transaction(async (tx) => {
        const cancelled: Session[] = [];
        const rehosted: Session[] = [];
        for (const r of plan.released) {
          const rows = await tx
            .update(shadowSessions)
            .set({ status: 'cancelled', updatedAt: now })
            .where(
              and(
                eq(shadowSessions.rotationId, rotationId),
                eq(shadowSessions.startsAt, new Date(r.startsAt)),
                eq(shadowSessions.seat, r.seat),
                eq(shadowSessions.shadowId, r.shadowId),
                inArray(shadowSessions.status, OPEN_STATUSES),
              ),
            )
            .returning();
          cancelled.push(...rows);
        }
        for (const s of plan.seats.filter((x) => x.kept)) {
          const rows = await tx
            .update(shadowSessions)
            .set({ hostId: s.hostId, updatedAt: now })
            .where(
              and(
                eq(shadowSessions.rotationId, rotationId),
                eq(shadowSessions.startsAt, new Date(s.startsAt)),
                eq(shadowSessions.seat, s.seat),
                inArray(shadowSessions.status, OPEN_STATUSES),
                ne(shadowSessions.hostId, s.hostId),
              ),
            )
            .returning();
          rehosted.push(...rows);
        }
        const fresh = plan.seats.filter((x) => !x.kept);
        if (fresh.length === 0) return { cancelled, rehosted };
        await tx
          .insert(shadowSessions)
          .values(
            fresh.map((s) => ({
              rotationId,
              startsAt: new Date(s.startsAt),
              localDate: s.date,
              durationMinutes,
              seat: s.seat,
              hostId: s.hostId,
              shadowId: s.shadowId,
              status: 'planned' as const,
              createdAt: now,
              updatedAt: now,
            })),
          )
          .onConflictDoNothing();
        return { cancelled, rehosted };
      });
    },

    /** Cancels the future seats of a rotation (it was deleted); returns them. */
    cancelFuture: (rotationId: number, now: Date) =>
      db
        .update(shadowSessions)
        .set({ status: 'cancelled', updatedAt: now })
        .where(
          and(
            eq(shadowSessions.rotationId, rotationId),
            gt(shadowSessions.startsAt, now),
            inArray(shadowSessions.status, OPEN_STATUSES),
          ),
        )
        .returning(),

    /**
     * Offers every future seat planned in a live rotation: each moves to offered once, whichever
     * process gets there first. Returns the seats offered now.
     */
    offerPlanned: (now: Date) =>
      db
        .update(shadowSessions)
        .set({ status: 'offered', offeredAt: now, updatedAt: now })
        .where(
          and(
            eq(shadowSessions.status, 'planned'),
            gt(shadowSessions.startsAt, now),
            inArray(
              shadowSessions.rotationId,
              db
                .select({ id: rotations.id })
                .from(rotations)
                .where(and(liveRotation, eq(rotations.paused, false))),
            ),
          ),
        )
        .returning(),

    /** A person's future seats offered to them or accepted, soonest first. */
    upcomingFor: (userId: string, now: Date) => futureSeatsOf(userId, now, ['offered', 'accepted'], liveRotation),

    /** A person's future seats that were offered to them and are no longer theirs (passed on or withdrawn). */
    withdrawnFor: (userId: string, now: Date) =>
      futureSeatsOf(userId, now, ['declined', 'cancelled'], sql`${shadowSessions.offeredAt} is not null`),

    /** Every seat of one session (any status), with its rotation. */
    seatsOf: (rotationId: number, startsAt: Date) =>
      selectSessions()
        .where(and(eq(shadowSessions.rotationId, rotationId), eq(shadowSessions.startsAt, startsAt)))
        .orderBy(asc(shadowSessions.seat), asc(shadowSessions.id)),

    async message(mirror: string, ref: string): Promise<StoredMessage | undefined> {
      const [row] = await db
        .select()
        .from(shadowMessages)
        .where(and(eq(shadowMessages.mirror, mirror), eq(shadowMessages.ref, ref)));
      return row;
    },

    async saveMessage(mirror: string, ref: string, posted: { channel: string; ts: string }, now: Date) {
      await db
        .insert(shadowMessages)
        .values({ mirror, ref, ...posted, postedAt: now })
        .onConflictDoUpdate({ target: [shadowMessages.mirror, shadowMessages.ref], set: posted });
    },

    /** The refs of a mirror's messages whose ref starts with `prefix` (a session's messages to its hosts). */
    async messageRefs(mirror: string, prefix: string): Promise<string[]> {
      const rows = await db
        .select({ ref: shadowMessages.ref })
        .from(shadowMessages)
        .where(and(eq(shadowMessages.mirror, mirror), sql`starts_with(${shadowMessages.ref}, ${prefix})`));
      return rows.map((r) => r.ref);
    },

    /** Moves a seat from one of `from` to `to`, only if it is still the shadow's and upcoming. */
    async answer(
      id: number,
      shadowId: string,
      from: SessionStatus[],
      to: SessionStatus,
      now: Date,
    ): Promise<Session | undefined> {
      const [row] = await db
        .update(shadowSessions)
        .set({ status: to, updatedAt: now })
        .where(
          and(
            eq(shadowSessions.id, id),
            eq(shadowSessions.shadowId, shadowId),
            inArray(shadowSessions.status, from),
            gt(shadowSessions.startsAt, now),
          ),
        )
        .returning();
      return row;
    },

    /** The first later seat of the same rotation whose shadow could trade places with `session`'s. */
    async swapPartner(session: Session, away: (userId: string, date: string) => boolean): Promise<Session | undefined> {
      const sameSession = await db
        .select({ shadowId: shadowSessions.shadowId })
        .from(shadowSessions)
        .where(
          and(
            eq(shadowSessions.rotationId, session.rotationId),
            eq(shadowSessions.startsAt, session.startsAt),
            inArray(shadowSessions.status, OPEN_STATUSES),
          ),
        );
      const busy = new Set([...sameSession.map((r) => r.shadowId), session.hostId]);
      const later = await db
        .select()
        .from(shadowSessions)
        .where(
          and(
            eq(shadowSessions.rotationId, session.rotationId),
            gt(shadowSessions.startsAt, session.startsAt),
            inArray(shadowSessions.status, ['planned', 'offered']),
          ),
        )
        .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.seat))
        .limit(200);
      const laterBusy = new Map<number, Set<string>>();
      for (const r of later)
        laterBusy.set(
          r.startsAt.getTime(),
          (laterBusy.get(r.startsAt.getTime()) ?? new Set()).add(r.shadowId).add(r.hostId),
        );
      return later.find(
        (r) =>
          !busy.has(r.shadowId) &&
          !laterBusy.get(r.startsAt.getTime())!.has(session.shadowId) &&
          !away(r.shadowId, session.localDate) &&
          !away(session.shadowId, r.localDate),
      );
    },

    /**
     * Trades the shadows of two seats, each offered afresh to its new shadow; returns both, or
     * undefined when either changed meanwhile (someone else answered first).
     */
    async trade(mine: Session, theirs: Session, now: Date): Promise<Session[] | undefined> {
      return db
        .transaction(async (tx) => {
          const a = await tx
            .update(shadowSessions)
            .set({ shadowId: theirs.shadowId, status: 'offered', offeredAt: now, updatedAt: now })
            .where(
              and(
                eq(shadowSessions.id, mine.id),
                eq(shadowSessions.shadowId, mine.shadowId),
                inArray(shadowSessions.status, OPEN_STATUSES),
              ),
            )
            .returning();
          const b = await tx
            .update(shadowSessions)
            .set({ shadowId: mine.shadowId, status: 'offered', offeredAt: now, updatedAt: now })
            .where(
              and(
                eq(shadowSessions.id, theirs.id),
                eq(shadowSessions.shadowId, theirs.shadowId),
                inArray(shadowSessions.status, ['planned', 'offered']),
              ),
            )
            .returning();
          if (a.length === 1 && b.length === 1) return [...a, ...b];
          tx.rollback();
          return undefined;
        })
        .catch((error: unknown) => {
          if ((error as Error).name === 'TransactionRollbackError') return undefined;
          throw error;
        });
    },

    /** The host's attended / no-show mark, once the session has started. */
    async markAttendance(
      id: number,
      hostId: string,
      status: 'held' | 'no_show',
      now: Date,
    ): Promise<Session | undefined> {
      const [row] = await db
        .update(shadowSessions)
        .set({ status, updatedAt: now })
        .where(
          and(
            eq(shadowSessions.id, id),
            eq(shadowSessions.hostId, hostId),
            inArray(shadowSessions.status, [...OPEN_STATUSES, 'held', 'no_show']),
            lte(shadowSessions.startsAt, now),
          ),
        )
        .returning();
      return row;
    },

    /** Claims one notice (reminder, prompt) for a recipient; false when it was already sent. */
    async claimNotice(sessionId: number, kind: string, recipient: string, now: Date): Promise<boolean> {
      const rows = await db
        .insert(shadowNotices)
        .values({ sessionId, kind, recipient, sentAt: now })
        .onConflictDoNothing()
        .returning();
      return rows.length === 1;
    },

    /** Gives a claim back when Slack refused the message, so the next run tries again. */
    async releaseNotice(sessionId: number, kind: string, recipient: string): Promise<void> {
      await db
        .delete(shadowNotices)
        .where(
          and(
            eq(shadowNotices.sessionId, sessionId),
            eq(shadowNotices.kind, kind),
            eq(shadowNotices.recipient, recipient),
          ),
        );
    },

    /** Seats starting in [from, to) with one of `statuses`, soonest first. */
    startingBetween: (from: Date, to: Date, statuses: SessionStatus[] = OPEN_STATUSES) =>
      selectSessions()
        .where(
          and(
            gte(shadowSessions.startsAt, from),
            lt(shadowSessions.startsAt, to),
            inArray(shadowSessions.status, statuses),
            liveRotation,
          ),
        )
        .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.seat)),

    async nextFor(userId: string, now: Date): Promise<SessionWithRotation | undefined> {
      const [row] = await futureSeatsOf(userId, now, OPEN_STATUSES, liveRotation).limit(1);
      return row;
    },

    historyOf: (userId: string, now: Date, limit = 5) =>
      selectSessions()
        .where(
          and(
            eq(shadowSessions.shadowId, userId),
            lte(shadowSessions.startsAt, now),
            ne(shadowSessions.status, 'cancelled'),
          ),
        )
        .orderBy(desc(shadowSessions.startsAt))
        .limit(limit),

    schedule: (rotationId: number | undefined, from: Date, to: Date) =>
      selectSessions()
        .where(
          and(
            gte(shadowSessions.startsAt, from),
            lt(shadowSessions.startsAt, to),
            inArray(shadowSessions.status, OPEN_STATUSES),
            liveRotation,
            rotationId ? eq(shadowSessions.rotationId, rotationId) : undefined,
          ),
        )
        .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.seat)),

    /** Held, declined and missed sessions per shadow and per host. */
    async stats(rotationId?: number) {
      const scope = rotationId ? eq(shadowSessions.rotationId, rotationId) : undefined;
      const tally = (status: SessionStatus) =>
        sql<number>`count(*) filter (where ${shadowSessions.status} = ${status})`.mapWith(Number);
      const shadows = await db
        .select({
          userId: shadowSessions.shadowId,
          held: tally('held'),
          declined: tally('declined'),
          noShows: tally('no_show'),
        })
        .from(shadowSessions)
        .where(scope)
        .groupBy(shadowSessions.shadowId);
      const hosts = await db
        .select({
          userId: shadowSessions.hostId,
          held: tally('held'),
          declined: tally('declined'),
          noShows: tally('no_show'),
        })
        .from(shadowSessions)
        .where(scope)
        .groupBy(shadowSessions.hostId);
      return { shadows, hosts };
    },

    async saveReflection(
      sessionId: number,
      userId: string,
      r: { surprised: string; fix: string; usefulness: number },
      now: Date,
    ): Promise<void> {
      await db
        .insert(shadowReflections)
        .values({ sessionId, userId, ...r, createdAt: now })
        .onConflictDoUpdate({ target: shadowReflections.sessionId, set: { ...r, createdAt: now } });
    },

    /**
     * For the weekly digest: in [from, to) (a past range), sessions held (host marked attended),
     * no-shows, seats still offered or accepted (nobody marked them), average usefulness, and the
     * most useful reflections.
     */
    async metrics(range: { from: Date; to: Date }, highlights = 3) {
      const inRange = and(gte(shadowSessions.startsAt, range.from), lt(shadowSessions.startsAt, range.to));
      const [totals] = await db
        .select({
          held: sql<number>`count(*) filter (where ${shadowSessions.status} = 'held')`.mapWith(Number),
          noShows: sql<number>`count(*) filter (where ${shadowSessions.status} = 'no_show')`.mapWith(Number),
          unmarked: sql<number>`count(*) filter (where ${shadowSessions.status} in ('offered', 'accepted'))`.mapWith(
            Number,
          ),
        })
        .from(shadowSessions)
        .where(inRange);
      const top = await db
        .select({
          sessionId: shadowReflections.sessionId,
          userId: shadowReflections.userId,
          surprised: shadowReflections.surprised,
          fix: shadowReflections.fix,
          usefulness: shadowReflections.usefulness,
          rotationName: rotations.name,
        })
        .from(shadowReflections)
        .innerJoin(shadowSessions, eq(shadowSessions.id, shadowReflections.sessionId))
        .innerJoin(rotations, eq(rotations.id, shadowSessions.rotationId))
        .where(inRange)
        .orderBy(desc(shadowReflections.usefulness), desc(shadowReflections.createdAt))
        .limit(highlights);
      const [avg] = await db
        .select({
          value: sql<number | null>`avg(${shadowReflections.usefulness})`.mapWith((v) =>
            v === null ? null : Number(v),
          ),
        })
        .from(shadowReflections)
        .innerJoin(shadowSessions, eq(shadowSessions.id, shadowReflections.sessionId))
        .where(inRange);
      return {
        held: totals?.held ?? 0,
        noShows: totals?.noShows ?? 0,
        unmarked: totals?.unmarked ?? 0,
        averageUsefulness: avg?.value ?? null,
        highlights: top,
      };
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
