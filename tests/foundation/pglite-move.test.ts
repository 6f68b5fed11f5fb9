// A DATA_DIR left by the earlier embedded database (PGlite, in DATA_DIR/pglite) is never ignored:
// its data moves into the PostgreSQL server on first start, or the app stops saying how to move it.

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrontline } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createDatabase, type Db, MIGRATIONS_FOLDER } from '../../src/db/client.ts';
import { MOVE_COMMAND, moveLegacyPglite } from '../../src/db/pglite-move.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { createLogger } from '../../src/logger.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../support/test-database.ts';

/** Makes DATA_DIR/pglite as the earlier Frontline did (PGlite on disk, migrated) with some rows. */
async function makePgliteDataDir(dataDir: string): Promise<void> {
  const pglite = await PGlite.create(join(dataDir, 'pglite'), { extensions: { pg_trgm } });
  const db = drizzle({ client: pglite });
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  await createDepartmentsRepository({ db: db as unknown as Db, clock: systemClock }).upsert({
    key: 'billing',
    name: 'Billing & Payments',
    channelId: 'C0BILLING',
    leads: ['U0LEAD'],
  });
  await db.execute(sql`insert into workspace_settings (name, value) values ('help-channel', '"C0HELP"')`);
  // serial ids 1..3, then a gap: the copy must keep them and start the sequence past the highest
  for (const question of ['one', 'two', 'three'])
    await db.execute(
      sql`insert into help_requests (question, asker_id, created_at) values (${question}, 'U0ASKER', '2026-01-05T10:00:00Z')`,
    );
  await db.execute(sql`delete from help_requests where question = 'two'`);
  await db.execute(
    sql`insert into rotations (name, cadence, weekday, start_time, duration_minutes, timezone, anchor_date, created_by) values ('Support shadowing', 'weekly', 2, '10:00', 60, 'Europe/Paris', '2026-01-06', 'U0ADMIN')`,
  );
  await pglite.close();
}

describe.skipIf(TEST_DATABASE_URL)('moving the earlier PGlite database', () => {
  let fake: FakeSlack;
  const dirs: string[] = [];
  let earlier: string;
  /** A DATA_DIR holding a copy of the earlier database (PGlite's initdb is slow: made once). */
  const earlierDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'frontline-move-'));
    dirs.push(dir);
    cpSync(earlier, dir, { recursive: true });
    return dir;
  };
  beforeAll(async () => {
    fake = await startFakeSlack();
    earlier = mkdtempSync(join(tmpdir(), 'frontline-pglite-'));
    dirs.push(earlier);
    await makePgliteDataDir(earlier);
  }, 60_000);
  afterAll(async () => {
    await fake.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table into the new server on first start, fixes the id sequences and renames the old folder', async () => {
    const dataDir = earlierDataDir();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      PORT: '0',
    });
    const app = await createFrontline({
      config,
      logger: createLogger({ level: 'silent', pretty: false }),
      schedules: false,
    });
    try {
      expect(app.deps.database.kind).toBe('embedded');
      expect(await createDepartmentsRepository(app.deps).get('billing')).toMatchObject({
        name: 'Billing & Payments',
        channelId: 'C0BILLING',
        leads: ['U0LEAD'],
      });
      expect(await app.deps.workspace.helpChannel.get()).toBe('C0HELP');
      const db = app.deps.db;
      expect(await db.execute(sql`select id, question from help_requests order by id`)).toEqual([
        { id: 1, question: 'one' },
        { id: 3, question: 'three' },
      ]);
      expect(
        await db.execute(
          sql`insert into help_requests (question, asker_id, created_at) values ('four', 'U0ASKER', now()) returning id`,
        ),
      ).toEqual([{ id: 4 }]);
      expect(
        await db.execute(
          sql`insert into rotations (name, cadence, weekday, start_time, duration_minutes, timezone, anchor_date, created_by) values ('Second', 'weekly', 3, '10:00', 60, 'UTC', '2026-01-07', 'U0ADMIN') returning id`,
        ),
      ).toEqual([{ id: 2 }]);
      expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
      expect(readdirSync(dataDir).filter((f) => f.startsWith('pglite-moved-'))).toHaveLength(1);
    } finally {
      await app.stop();
    }
  }, 60_000);

  it('stops with the exact command to run when PGlite is not installed, and leaves the old folder as it was', async () => {
    const dataDir = earlierDataDir();
    const testDb = await createTestDatabase();
    const database = await createDatabase({ url: testDb.url });
    try {
      const missing = () => Promise.reject(new Error("Cannot find package '@electric-sql/pglite'"));
      const attempt = moveLegacyPglite(dataDir, database, testDb.url, missing);
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(`Run once, in Frontline's folder: ${MOVE_COMMAND}`);
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    } finally {
      await database.close();
      await testDb.drop();
    }
  }, 60_000);
});
