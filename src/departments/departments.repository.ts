import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { departments } from './departments.table.ts';
import { DEFAULT_SLA, type Priority, type SlaTarget } from './departments.models.ts';

export type Department = typeof departments.$inferSelect;

export interface DepartmentInput {
  key: string;
  /** Optional on update: an existing department keeps its name. */
  name?: string;
  channelId: string;
  leads?: string[];
  keywords?: string[];
}

export function createDepartmentsRepository({ db }: { db: Db }) {
  const active = (key: string) => and(eq(departments.key, key), isNull(departments.archivedAt));
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
        archivedAt: null,
        updatedAt: new Date(),
      };
      const [row] = await db
        .insert(departments)
        .values({ key: input.key, name: input.name ?? input.key.charAt(0).toUpperCase() + input.key.slice(1), sla: DEFAULT_SLA, ...values })
        .onConflictDoUpdate({ target: departments.key, set: values })
        // xmax is 0 only for a freshly inserted row: one statement tells new from updated, even under a race.
        .returning({ ...getTableColumns(departments), created: sql<boolean>`(xmax = 0)` });
      const { created, ...department } = row!;
      return { department, created };
    },

    /** Archives a department; false when there was no active one. */
    async archive(key: string): Promise<boolean> {
      const rows = await db.update(departments).set({ archivedAt: new Date(), updatedAt: new Date() }).where(active(key)).returning({ key: departments.key });
      return rows.length === 1;
    },

    async setLeads(key: string, leads: string[]): Promise<boolean> {
      const rows = await db.update(departments).set({ leads, updatedAt: new Date() }).where(active(key)).returning({ key: departments.key });
      return rows.length === 1;
    },

    async setKeywords(key: string, keywords: string[]): Promise<boolean> {
      const rows = await db.update(departments).set({ keywords, updatedAt: new Date() }).where(active(key)).returning({ key: departments.key });
      return rows.length === 1;
    },

    /** Sets one priority's targets inside a transaction, so two admins editing different priorities both win. */
    async setSla(key: string, priority: Priority, target: SlaTarget): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ sla: departments.sla }).from(departments).where(active(key)).for('update');
        if (!row) return false;
        await tx.update(departments).set({ sla: { ...row.sla, [priority]: target }, updatedAt: new Date() }).where(eq(departments.key, key));
        return true;
      });
    },

    async setWorkingHours(key: string, hours: { workDays: number[]; workStart: string; workEnd: string; timezone: string | null }): Promise<boolean> {
      const rows = await db.update(departments).set({ ...hours, updatedAt: new Date() }).where(active(key)).returning({ key: departments.key });
      return rows.length === 1;
    },
  };
}

export type DepartmentsRepository = ReturnType<typeof createDepartmentsRepository>;
