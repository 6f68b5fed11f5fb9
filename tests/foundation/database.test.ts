// Migrations apply once, even when two processes start together; the embedded database keeps its
// data across a restart and belongs to one process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createFrontline } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, MIGRATIONS_FOLDER } from '../../src/db/client.ts';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { createLogger } from '../../src/logger.ts';
import { workspaceSettings } from '../../src/settings/settings.table.ts';
import { startFakeSlack } from '../support/fake-slack.ts';
import { createEmptyTestDatabase, TEST_DATABASE_URL } from '../support/test-database.ts';

const migrationCount = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length;

type Opened = Awaited<ReturnType<typeof createDatabase>>;

async function rows<T>(database: Opened, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await database.db.execute(query)) as unknown as T[];
}

/** Runs `work` on a new empty database opened as the app opens it (`query` ends its address), then drops it. */
async function onEmptyDatabase<T>(work: (database: Opened) => Promise<T>, query = ''): Promise<T> {
  const testDb = await createEmptyTestDatabase();
  const database = await createDatabase({ url: `${testDb.url}${query}` });
  try {
    return await work(database);
  } finally {
    await database.close();
    await testDb.drop();
  }
}

describe('statements', () => {
  /** The statements this connection has prepared whose text contains `marker`. */
  const preparedWith = (db: Opened['db'], marker: string) =>
    db.execute(sql`select statement from pg_prepared_statements where strpos(statement, ${marker}) > 0`);

  it('are prepared once per connection, inside transactions and savepoints too, and planned for their values', () =>
    onEmptyDatabase(async (database) => {
      const [inTransaction, inSavepoint, planning] = await database.db.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.execute(sql`select ${i}::int as marker_one`);
        const inner = await tx.transaction(async (savepoint) => {
          await savepoint.execute(sql`select ${1}::int as marker_two`);
          return preparedWith(savepoint, 'as marker_two');
        });
        return [await preparedWith(tx, 'as marker_one'), inner, await tx.execute(sql`show plan_cache_mode`)];
      });
      expect(inTransaction).toHaveLength(1);
      expect(inSavepoint).toHaveLength(1);
      expect(planning).toEqual([{ plan_cache_mode: 'force_custom_plan' }]);
    }));

  it('made before an ack (replay fingerprints) are prepared too, and do not wait for the disk; every other write does', () =>
    onEmptyDatabase(async (database) => {
      // Set by the app for its connection ('client'), whatever the server's own setting.
      const setting = sql`select setting, source from pg_settings where name = 'synchronous_commit'`;
      expect(await database.ackPathDb.execute(setting)).toEqual([{ setting: 'off', source: 'client' }]);
      expect(await database.db.execute(setting)).not.toContainEqual(expect.objectContaining({ source: 'client' }));
      const prepared = await database.ackPathDb.transaction(async (tx) => {
        for (let i = 0; i < 2; i++) await tx.execute(sql`select ${i}::int as marker_four`);
        return preparedWith(tx, 'as marker_four');
      });
      expect(prepared).toHaveLength(1);
    }));

  it('keep a json value exactly as written, a string that reads as JSON included', () =>
    onEmptyDatabase(async (database) => {
      await database.migrate();
      const values = ['-1', '100', 'true', 'null', 'bulb', { emoji: '-1' }, ['+1'], 7];
      for (const [i, value] of values.entries())
        await database.db.insert(workspaceSettings).values({ name: `value-${i}`, value: value as object });
      const stored = await database.db.select().from(workspaceSettings).orderBy(workspaceSettings.name);
      expect(stored.map((row) => row.value)).toEqual(values);
    }));

  it('are not prepared when the address says prepare=false (PgBouncer in transaction mode)', () =>
    onEmptyDatabase(async (database) => {
      const prepared = await database.db.transaction(async (tx) => {
        await tx.execute(sql`select ${1}::int as marker_three`);
        return preparedWith(tx, 'as marker_three');
      });
      expect(prepared).toHaveLength(0);
    }, '?prepare=false'));
});

describe('migrations', () => {
  it('create every table and record each migration once, however often they run', () =>
    onEmptyDatabase(async (database) => {
      await database.migrate();
      await database.migrate();
      const tables = await rows<{ table_name: string }>(
        database,
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['departments', 'job_runs', 'workspace_settings', 'request_keys']),
      );
      const applied = await rows<{ n: number }>(
        database,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(applied[0]?.n).toBe(migrationCount);
    }));

  it('apply once when two processes start at the same moment against one PostgreSQL', async () => {
    const testDb = await createEmptyTestDatabase();
    const a = await createDatabase({ url: testDb.url });
    const b = await createDatabase({ url: testDb.url });
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const applied = await rows<{ n: number }>(a, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied[0]?.n).toBe(migrationCount);
      expect(await a.ping()).toBe(true);
    } finally {
      await a.close();
      await b.close();
      await testDb.drop();
    }
  });

  it('run from `npm run db:migrate`', async () => {
    const testDb = TEST_DATABASE_URL ? await createEmptyTestDatabase() : undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'frontline-migrate-'));
    try {
      const result = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}) },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stdout).toContain(`Migrations applied (${testDb ? 'postgres' : 'embedded'}).`);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await testDb?.drop();
    }
  }, 60_000);
});

describe.skipIf(TEST_DATABASE_URL)('embedded database', () => {
  it('keeps its data across a restart of the app', async () => {
    const fake = await startFakeSlack();
    const dataDir = mkdtempSync(join(tmpdir(), 'frontline-data-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.apiUrl,
      DATA_DIR: dataDir,
      PORT: '0',
    });
    const start = () =>
      createFrontline({ config, logger: createLogger({ level: 'silent', pretty: false }), schedules: false });
    try {
      const first = await start();
      await createDepartmentsRepository(first.deps).upsert({ key: 'billing', name: 'Billing', channelId: 'C0BILLING' });
      await first.deps.workspace.helpChannel.set('C0HELP');
      // A second process on the same directory would corrupt it: it is refused while the first runs.
      const intruder = spawnSync('npm', ['run', '--silent', 'db:migrate'], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(intruder.status).toBe(1);
      expect(intruder.stderr).toContain(`is in use by another Frontline process (pid ${process.pid})`);
      await first.stop();

      const second = await start();
      expect(await createDepartmentsRepository(second.deps).get('billing')).toMatchObject({
        name: 'Billing',
        channelId: 'C0BILLING',
      });
      expect(await second.deps.workspace.helpChannel.get()).toBe('C0HELP');
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await fake.close();
    }
  }, 60_000);
});
