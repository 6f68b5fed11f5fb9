import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { departments } from './departments.table.ts';
import { DEFAULT_SLA, type Priority, type SlaTarget } from './departments.models.ts';

export type Department = typeof departments.$inferSelect;

export interface DepartmentInput {
  key: string;
  name: string;
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
      const existing = await this.getIncludingArchived(input.key);
      const values = {
        name: input.name,
        channelId: input.channelId,
        ...(input.leads ? { leads: input.leads } : {}),
        ...(input.keywords ? { keywords: input.keywords } : {}),
        archivedAt: null,
        updatedAt: new Date(),
      };
      const [department] = await db
        .insert(departments)
        .values({ key: input.key, sla: DEFAULT_SLA, ...values })
        .onConflictDoUpdate({ target: departments.key, set: values })
        .returning();
      return { department: department!, created: !existing || existing.archivedAt !== null };
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
