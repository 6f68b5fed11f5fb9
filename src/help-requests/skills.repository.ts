import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { helpSkills } from './help-requests.table.ts';

export function createSkillsRepository({ db }: { db: Db }) {
  return {
    /** Adds skills to a person's list; returns the ones that were new. */
    async add(userId: string, skills: string[], now: Date): Promise<string[]> {
      if (skills.length === 0) return [];
      const rows = await db
        .insert(helpSkills)
        .values(skills.map((skill) => ({ userId, skill, createdAt: now })))
        .onConflictDoNothing()
        .returning({ skill: helpSkills.skill });
      return rows.map((r) => r.skill);
    },

    /** Removes skills from a person's list; returns the ones that were there. */
    async remove(userId: string, skills: string[]): Promise<string[]> {
      if (skills.length === 0) return [];
      const rows = await db
        .delete(helpSkills)
        .where(and(eq(helpSkills.userId, userId), inArray(helpSkills.skill, skills)))
        .returning({ skill: helpSkills.skill });
      return rows.map((r) => r.skill);
    },

    async of(userId: string): Promise<string[]> {
      const rows = await db
        .select({ skill: helpSkills.skill })
        .from(helpSkills)
        .where(eq(helpSkills.userId, userId))
        .orderBy(asc(helpSkills.skill));
      return rows.map((r) => r.skill);
    },

    /** People who listed the skill, earliest first. */
    async experts(skill: string): Promise<string[]> {
      const rows = await db
        .select({ userId: helpSkills.userId })
        .from(helpSkills)
        .where(eq(helpSkills.skill, skill))
        .orderBy(asc(helpSkills.createdAt), asc(helpSkills.userId));
      return rows.map((r) => r.userId);
    },
  };
}

export type SkillsRepository = ReturnType<typeof createSkillsRepository>;
