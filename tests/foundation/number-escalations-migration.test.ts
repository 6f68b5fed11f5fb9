// The migration that numbers existing escalations oldest first (ESC-1 is the first ever raised) and
// lets new ones continue after the last.
import { asc } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { useMigration } from '../support/migration.ts';

const migration = useMigration('_number_escalations_by_age.sql');

const row = (summary: string, at: string, number: number) => {
  const createdAt = new Date(at);
  return {
    number,
    summary,
    departmentKey: 'billing',
    priority: 'normal' as const,
    requesterId: 'U0AGENT',
    createdAt,
    updatedAt: createdAt,
    ackDueAt: createdAt,
    ackAlertAt: createdAt,
    resolveDueAt: createdAt,
  };
};

it(`${migration.name} numbers existing escalations by age, and new ones follow`, async () => {
  const db = migration.db();
  // Numbered in the table's physical order, as adding the identity column did: not by age.
  await db
    .insert(escalations)
    .values([
      row('third', '2026-03-03T10:00:00Z', 1),
      row('first', '2026-03-01T10:00:00Z', 2),
      row('second', '2026-03-02T10:00:00Z', 3),
    ]);
  await migration.rerun();
  const numbered = await db
    .select({ summary: escalations.summary, number: escalations.number })
    .from(escalations)
    .orderBy(asc(escalations.number));
  expect(numbered).toEqual([
    { summary: 'first', number: 1 },
    { summary: 'second', number: 2 },
    { summary: 'third', number: 3 },
  ]);
  const { number: _, ...next } = row('fourth', '2026-03-04T10:00:00Z', 0);
  const [fourth] = await db.insert(escalations).values(next).returning({ number: escalations.number });
  expect(fourth?.number).toBe(4);
});
