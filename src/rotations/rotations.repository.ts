import { and, asc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { isUniqueViolation, UserError } from '../errors.ts';
import { ROTATION_IDS } from './rotations.ids.ts';
import type { RotationSettings } from './rotations.models.ts';
import { newcomerBaseline } from './rotations.planner.ts';
import { rotationHosts, rotationParticipants, rotations, shadowAway, shadowOptOuts } from './rotations.table.ts';
import { createSessionsRepository, type SessionsRepository, turnsOf } from './sessions.repository.ts';

export type Rotation = typeof rotations.$inferSelect;
export type Participant = typeof rotationParticipants.$inferSelect;

const nameTaken = () =>
  new UserError('rotations.name_taken', ':warning: Another rotation already has this name', {
    field: ROTATION_IDS.name,
  });

/** Rotations, their members and hosts, and people's away days and opt-outs. */
export function createRotationsRepository({ db }: { db: Db }) {
  const live = (id: number) => and(eq(rotations.id, id), isNull(rotations.deletedAt));
  const settingsColumns = (s: RotationSettings) => ({
    name: s.name,
    cadence: s.cadence,
    weekday: s.weekday,
    startTime: s.startTime,
    durationMinutes: s.durationMinutes,
    timezone: s.timezone,
    shadowsPerSession: s.shadowsPerSession,
    planAheadWeeks: s.planAheadWeeks,
    usergroupId: s.usergroupId,
  });

  return {
    list: () => db.select().from(rotations).where(isNull(rotations.deletedAt)).orderBy(asc(rotations.name)),

    async get(id: number): Promise<Rotation | undefined> {
      const [row] = await db.select().from(rotations).where(live(id));
      return row;
    },

    /** A live rotation by name, case-insensitively. */
    async findByName(name: string): Promise<Rotation | undefined> {
      const [row] = await db
        .select()
        .from(rotations)
        .where(and(sql`lower(${rotations.name}) = lower(${name.trim()})`, isNull(rotations.deletedAt)));
      return row;
    },

    async create(settings: RotationSettings, createdBy: string, anchorDate: string, now: Date): Promise<Rotation> {
      try {
        return await db.transaction(async (tx) => {
          const [rotation] = await tx
            .insert(rotations)
            .values({ ...settingsColumns(settings), anchorDate, createdBy, createdAt: now, updatedAt: now })
            .returning();
          await tx
            .insert(rotationHosts)
            .values(settings.hostIds.map((userId) => ({ rotationId: rotation!.id, userId })));
          if (settings.userIds.length > 0) {
            await tx.insert(rotationParticipants).values(
              settings.userIds.map((userId) => ({
                rotationId: rotation!.id,
                userId,
                viaDirect: true,
                joinedAt: now,
              })),
            );
          }
          return rotation!;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken();
        throw error;
      }
    },

    /** Saves edited settings and replaces the hosts (members are synced separately). */
    async update(id: number, settings: RotationSettings, now: Date): Promise<Rotation | undefined> {
      try {
        return await db.transaction(async (tx) => {
          const [rotation] = await tx
            .update(rotations)
            .set({ ...settingsColumns(settings), updatedAt: now })
            .where(live(id))
            .returning();
          if (!rotation) return undefined;
          await tx.delete(rotationHosts).where(eq(rotationHosts.rotationId, id));
          await tx.insert(rotationHosts).values(settings.hostIds.map((userId) => ({ rotationId: id, userId })));
          return rotation;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken();
        throw error;
      }
    },

    async setPaused(id: number, paused: boolean, now: Date): Promise<boolean> {
      const rows = await db
        .update(rotations)
        .set({ paused, updatedAt: now })
        .where(live(id))
        .returning({ id: rotations.id });
      return rows.length === 1;
    },

    /** Deletes a rotation (soft: its history stays for stats and the digest). */
    async remove(id: number, now: Date): Promise<boolean> {
      const rows = await db
        .update(rotations)
        .set({ deletedAt: now, updatedAt: now })
        .where(live(id))
        .returning({ id: rotations.id });
      return rows.length === 1;
    },

    hosts: async (id: number) =>
      (
        await db.select({ userId: rotationHosts.userId }).from(rotationHosts).where(eq(rotationHosts.rotationId, id))
      ).map((r) => r.userId),

    /**
     * Makes the members exactly `direct` ∪ `fromGroup` (null keeps that part as it is, e.g. when
     * Slack could not be asked). Newcomers start level with the current round; leavers keep their
     * history with `leftAt`. Returns every member row as it now stands.
     */
    async syncMembers(
      id: number,
      direct: string[] | null,
      fromGroup: string[] | null,
      now: Date,
    ): Promise<{ joined: string[]; left: string[]; members: Participant[] }> {
      return db.transaction(async (tx) => {
        const current = await tx
          .select()
          .from(rotationParticipants)
          .where(eq(rotationParticipants.rotationId, id))
          .for('update');
        const turns = new Map([...(await turnsOf(tx, id, now))].map(([userId, t]) => [userId, t.turns]));
        const byUser = new Map(current.map((p) => [p.userId, p]));
        const wantDirect = new Set(direct ?? current.filter((p) => p.viaDirect && !p.leftAt).map((p) => p.userId));
        const wantGroup = fromGroup
          ? new Set(fromGroup)
          : new Set(current.filter((p) => p.viaUsergroup && !p.leftAt).map((p) => p.userId));
        const optedOut = new Set(
          (await tx.select({ userId: shadowOptOuts.userId }).from(shadowOptOuts)).map((r) => r.userId),
        );
        const active = current.filter(
          (p) => !p.leftAt && !optedOut.has(p.userId) && (wantDirect.has(p.userId) || wantGroup.has(p.userId)),
        );
        const round = newcomerBaseline(active.map((p) => p.baselineTurns + (turns.get(p.userId) ?? 0)));
        const joined: string[] = [];
        const result = new Map(current.map((p) => [p.userId, { ...p }]));
        const newcomers: Participant[] = [];
        // Flag changes are grouped so a big user group costs a few statements, not one per person.
        const flagChanges = new Map<string, string[]>();
        const member = (userId: string) =>
          and(eq(rotationParticipants.rotationId, id), eq(rotationParticipants.userId, userId));
        for (const userId of new Set([...wantDirect, ...wantGroup])) {
          const flags = { viaDirect: wantDirect.has(userId), viaUsergroup: wantGroup.has(userId) };
          const row = byUser.get(userId);
          if (!row) {
            const row = { rotationId: id, userId, ...flags, baselineTurns: round, joinedAt: now, leftAt: null };
            newcomers.push(row);
            result.set(userId, row);
            joined.push(userId);
          } else if (row.leftAt) {
            // Coming back: not ahead of the current round, whatever their old history.
            const baseline = Math.max(row.baselineTurns, round - (turns.get(userId) ?? 0));
            const changes = { ...flags, baselineTurns: baseline, joinedAt: now, leftAt: null };
            await tx.update(rotationParticipants).set(changes).where(member(userId));
            Object.assign(result.get(userId)!, changes);
            joined.push(userId);
          } else if (row.viaDirect !== flags.viaDirect || row.viaUsergroup !== flags.viaUsergroup) {
            const key = `${flags.viaDirect}:${flags.viaUsergroup}`;
            flagChanges.set(key, [...(flagChanges.get(key) ?? []), userId]);
            Object.assign(result.get(userId)!, flags);
          }
        }
        for (let i = 0; i < newcomers.length; i += 1000)
          await tx.insert(rotationParticipants).values(newcomers.slice(i, i + 1000));
        for (const [key, userIds] of flagChanges) {
          const [viaDirect, viaUsergroup] = key.split(':').map((v) => v === 'true') as [boolean, boolean];
          await tx
            .update(rotationParticipants)
            .set({ viaDirect, viaUsergroup })
            .where(and(eq(rotationParticipants.rotationId, id), inArray(rotationParticipants.userId, userIds)));
        }
        const left = current
          .filter((row) => !row.leftAt && !wantDirect.has(row.userId) && !wantGroup.has(row.userId))
          .map((row) => row.userId);
        if (left.length > 0) {
          const changes = { leftAt: now, viaDirect: false, viaUsergroup: false };
          await tx
            .update(rotationParticipants)
            .set(changes)
            .where(and(eq(rotationParticipants.rotationId, id), inArray(rotationParticipants.userId, left)));
          for (const userId of left) Object.assign(result.get(userId)!, changes);
        }
        return { joined, left, members: [...result.values()] };
      });
    },

    /** After opting back in: level with each rotation's current round, so no burst of catch-up sessions. */
    async levelWithRound(userId: string, now: Date): Promise<void> {
      const optedOut = new Set(
        (await db.select({ userId: shadowOptOuts.userId }).from(shadowOptOuts)).map((r) => r.userId),
      );
      for (const rotationId of await this.rotationsOf(userId)) {
        await db.transaction(async (tx) => {
          const members = await tx
            .select()
            .from(rotationParticipants)
            .where(and(eq(rotationParticipants.rotationId, rotationId), isNull(rotationParticipants.leftAt)))
            .for('update');
          const turns = await turnsOf(tx, rotationId, now);
          const effective = (p: (typeof members)[number]) => p.baselineTurns + (turns.get(p.userId)?.turns ?? 0);
          const me = members.find((p) => p.userId === userId);
          const others = members.filter((p) => p.userId !== userId && !optedOut.has(p.userId));
          if (!me || others.length === 0) return;
          const round = newcomerBaseline(others.map(effective));
          if (effective(me) >= round) return;
          await tx
            .update(rotationParticipants)
            .set({ baselineTurns: me.baselineTurns + round - effective(me), joinedAt: now })
            .where(and(eq(rotationParticipants.rotationId, rotationId), eq(rotationParticipants.userId, userId)));
        });
      }
    },

    participants: (id: number) => db.select().from(rotationParticipants).where(eq(rotationParticipants.rotationId, id)),

    /** Ids of live rotations someone shadows or hosts in (to replan after they mark away or opt out). */
    async rotationsOf(userId: string): Promise<number[]> {
      const shadowing = await db
        .select({ id: rotations.id })
        .from(rotationParticipants)
        .innerJoin(rotations, eq(rotations.id, rotationParticipants.rotationId))
        .where(
          and(
            eq(rotationParticipants.userId, userId),
            isNull(rotationParticipants.leftAt),
            isNull(rotations.deletedAt),
          ),
        );
      const hosting = await db
        .select({ id: rotations.id })
        .from(rotationHosts)
        .innerJoin(rotations, eq(rotations.id, rotationHosts.rotationId))
        .where(and(eq(rotationHosts.userId, userId), isNull(rotations.deletedAt)));
      return [...new Set([...shadowing, ...hosting].map((r) => r.id))];
    },

    async addAway(userId: string, fromDate: string, toDate: string, now: Date): Promise<void> {
      await db.insert(shadowAway).values({ userId, fromDate, toDate, createdAt: now });
    },

    /** Everyone's away ranges that end on or after `today` (a small set: only current and future absences). */
    async awayFrom(today: string): Promise<Map<string, { from: string; to: string }[]>> {
      const map = new Map<string, { from: string; to: string }[]>();
      const rows = await db.select().from(shadowAway).where(gte(shadowAway.toDate, today));
      for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), { from: r.fromDate, to: r.toDate }]);
      return map;
    },

    /** Of `userIds`, those with an away range covering the local date `date`. */
    async awayOn(userIds: string[], date: string): Promise<Set<string>> {
      const rows = await db
        .selectDistinct({ userId: shadowAway.userId })
        .from(shadowAway)
        .where(and(inArray(shadowAway.userId, userIds), lte(shadowAway.fromDate, date), gte(shadowAway.toDate, date)));
      return new Set(rows.map((r) => r.userId));
    },

    async optOut(userId: string, reason: string | null, now: Date): Promise<void> {
      await db
        .insert(shadowOptOuts)
        .values({ userId, reason, optedOutAt: now })
        .onConflictDoUpdate({ target: shadowOptOuts.userId, set: { reason, optedOutAt: now } });
    },

    /** True when they were opted out. */
    async optIn(userId: string): Promise<boolean> {
      return (await db.delete(shadowOptOuts).where(eq(shadowOptOuts.userId, userId)).returning()).length === 1;
    },

    /** Everyone opted out (few people; cheaper than matching a big rotation's members one by one). */
    async optedOut(): Promise<Set<string>> {
      return new Set((await db.select({ userId: shadowOptOuts.userId }).from(shadowOptOuts)).map((r) => r.userId));
    },
  };
}

export type RotationsRepository = ReturnType<typeof createRotationsRepository>;

/**
 * Runs `work` in one transaction holding the rotation's row lock, with repositories bound to it:
 * planning runs of one rotation in several processes take turns, each seeing the last one's seats.
 * Skipped (undefined) when the rotation is gone or paused.
 */
export async function whilePlanning<T>(
  db: Db,
  id: number,
  work: (locked: {
    rotation: Rotation;
    rotations: RotationsRepository;
    sessions: SessionsRepository;
    tx: Db;
  }) => Promise<T>,
): Promise<T | undefined> {
  return db.transaction(async (tx) => {
    const [rotation] = await tx
      .select()
      .from(rotations)
      .where(and(eq(rotations.id, id), isNull(rotations.deletedAt)))
      .for('update');
    if (!rotation || rotation.paused) return undefined;
    const bound = tx as unknown as Db;
    return work({
      rotation,
      rotations: createRotationsRepository({ db: bound }),
      sessions: createSessionsRepository({ db: bound }),
      tx: bound,
    });
  });
}
