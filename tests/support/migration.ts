// For tests of a data migration: a migrated database of its own, and the migration's statements to
// run again over rows written as they were before it. The migration is found by name, as merges
// may renumber it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database, type Db, MIGRATIONS_FOLDER } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export function useMigration(suffix: string): { name: string; db: () => Db; rerun: () => Promise<void> } {
  const name = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith(suffix))!;
  const statements = readFileSync(join(MIGRATIONS_FOLDER, name), 'utf8').split('--> statement-breakpoint');
  let testDb: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = await createDatabase({ url: testDb.url });
    await database.migrate();
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });
  return {
    name,
    db: () => database.db,
    async rerun() {
      for (const statement of statements) await database.db.execute(sql.raw(statement));
    },
  };
}
