import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { capitalise } from '../slack/blocks.ts';
import { DEFAULT_SLA, type IntakeField, type Priority, type SlaTarget, type SlaTargets } from './departments.models.ts';
import { departments } from './departments.table.ts';

export type Department = typeof departments.$inferSelect;

export interface DepartmentInput {
  key: string;
  /** Optional on update: an existing department keeps its name. */
  name?: string;
  channelId: string;
  leads?: string[];
  keywords?: string[];
  intakeFields?: IntakeField[];
  oncallGroupId?: string | null;
}

export function createDepartmentsRepository({ db, clock }: { db: Db; clock: Clock }) {
  const active = (key: string) => and(eq(departments.key, key), isNull(departments.archivedAt));
  /** Sets columns of an active department; false when there is none. */
  const update = async (
    key: string,
    set: Partial<Pick<Department, 'keywords' | 'intakeFields' | 'oncallGroupId'>>,
  ): Promise<boolean> => {
    const rows = await db
      .update(departments)
      .set({ ...set, updatedAt: clock.now() })
      .where(active(key))
      .returning({ key: departments.key });
    return rows.length === 1;
  };
  return {
    /** Active departments, alphabetically by key. */
    list: () => db.select().from(departments).where(isNull(departments.archivedAt)).orderBy(asc(departments.key)),

    /** An active department, or undefined. */
    async get(key: string): Promise<Department | undefined> {
      const [row] = await db.select().from(departments).where(active(key));
      return row;
    },

    /** Any department ever defined, archived or not (history keeps its name). */
    async getIncludingArchived(key: string): Promise<Department | undefined> {
      const [row] = await db.select().from(departments).where(eq(departments.key, key));
      return row;
    },

    /** Creates a department, or updates and restores one with the same key; returns whether it was new. */
    async upsert(input: DepartmentInput): Promise<{ department: Department; created: boolean }> {
      const values = {
        ...(input.name ? { name: input.name } : {}),
        channelId: input.channelId,
        ...(input.leads ? { leads: input.leads } : {}),
        ...(input.keywords ? { keywords: input.keywords } : {}),
        ...(input.intakeFields ? { intakeFields: input.intakeFields } : {}),
        ...(input.oncallGroupId !== undefined ? { oncallGroupId: input.oncallGroupId } : {}),
        archivedAt: null,
        updatedAt: clock.now(),
      };
      const [row] = await db
        .insert(departments)
        .values({ key: input.key, name: input.name ?? capitalise(input.key), sla: DEFAULT_SLA, ...values })
        .onConflictDoUpdate({ target: departments.key, set: values })
        // xmax is 0 only for a freshly inserted row: one statement tells new from updated, even under a race.
        .returning({ ...getTableColumns(departments), created: sql<boolean>`(xmax = 0)` });
      const { created, ...department } = row!;
      return { department, created };
    },

    /** Archives a department; false when there was no active one. */
    async archive(key: string): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ archivedAt: clock.now(), updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },

    async setLeads(key: string, leads: string[]): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ leads, updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },

    setKeywords: (key: string, keywords: string[]) => update(key, { keywords }),

    /** Replaces the intake fields; an empty list clears them. */
    setIntakeFields: (key: string, intakeFields: IntakeField[]) => update(key, { intakeFields }),

    /** Sets the on-call user group; null falls back to the leads. */
    setOncall: (key: string, oncallGroupId: string | null) => update(key, { oncallGroupId }),

    /** Sets one priority's targets inside a transaction, so two admins editing different priorities both win. */
    async setSla(key: string, priority: Priority, target: SlaTarget): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ sla: departments.sla }).from(departments).where(active(key)).for('update');
        if (!row) return false;
        await tx
          .update(departments)
          .set({ sla: { ...row.sla, [priority]: target }, updatedAt: clock.now() })
          .where(eq(departments.key, key));
        return true;
      });
    },

    async setHolidays(key: string, holidays: string[]): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ holidays, updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },

    /** Assigns new escalations in turn to the members of a user group, or stops (null). */
    async setRoundRobin(key: string, group: { id: string; handle: string | null } | null): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ roundRobinGroup: group?.id ?? null, roundRobinHandle: group?.handle ?? null, updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },

    /** Replaces leads, working hours and SLA targets at once (the Edit form); false when there is no such department. */
    async update(
      key: string,
      settings: {
        leads: string[];
        sla: SlaTargets;
        workDays: number[];
        workStart: string;
        workEnd: string;
        timezone: string;
      },
    ): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ ...settings, updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },

    async setWorkingHours(
      key: string,
      hours: { workDays: number[]; workStart: string; workEnd: string; timezone: string | null },
    ): Promise<boolean> {
      const rows = await db
        .update(departments)
        .set({ ...hours, updatedAt: clock.now() })
        .where(active(key))
        .returning({ key: departments.key });
      return rows.length === 1;
    },
  };
}

export type DepartmentsRepository = ReturnType<typeof createDepartmentsRepository>;
