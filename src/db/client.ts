import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ConfigError } from '../config.ts';
import * as schema from './schema.ts';

/** One query type for both drivers: PGlite (embedded) and postgres.js (server). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /**
   * The same database through a small pool of its own, for the one-row checks made before Slack is
   * acked (replays): they must never queue behind handlers' queries.
   */
  ackPathDb: Db;
  kind: 'pglite' | 'postgres';
  /** Applies the committed migrations in drizzle/; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; used by /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = resolve(import.meta.dirname, '../../drizzle');
// Any fixed number works: it only has to be the same in every Frontline process.
const MIGRATION_LOCK_KEY = 7_246_001;

/** Opens PostgreSQL when a URL is given, else embedded PGlite in `dataDir` (or in memory for tests). */
export async function createDatabase(options: { url?: string; dataDir?: string; pglite?: PGlite }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options);
}

async function openPglite({ dataDir, pglite }: { dataDir?: string; pglite?: PGlite }): Promise<Database> {
  let client = pglite;
  let unlock = () => {};
  if (!client) {
    const dir = dataDir ? resolve(dataDir, 'pglite') : undefined;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      unlock = lockDataDir(dir);
    }
    client = await PGlite.create(dir);
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  const pg = client;
  return {
    db,
    // One embedded instance runs one query at a time whatever the pool: nothing to separate.
    ackPathDb: db,
    kind: 'pglite',
    // The lock below makes one process the owner of an embedded database, so there is nobody to race.
    migrate: () => migratePglite(drizzlePglite({ client: pg }), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => ping(db),
    // An instance handed in belongs to whoever opened it (tests share one between two apps).
    close: async () => {
      if (pglite) return;
      await pg.close();
      unlock();
    },
  };
}

/** Claims an embedded data directory for this process; two processes writing one would corrupt it. */
function lockDataDir(dir: string): () => void {
  const file = join(dir, '..', 'frontline.pid');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (isRunning(owner) && owner !== process.pid) {
        throw new ConfigError(
          [`DATA_DIR ${resolve(dir, '..')} is in use by another Frontline process (pid ${owner}). Stop it first, or set DATABASE_URL to share one PostgreSQL between processes.`],
          'Frontline cannot open its embedded database',
        );
      }
      rmSync(file, { force: true }); // left behind by a process that died
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function openPostgres(url: string): Database {
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  const ackPathClient = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  return {
    db,
    ackPathDb: drizzlePostgres({ client: ackPathClient, schema }) as unknown as Db,
    kind: 'postgres',
    async migrate() {
      // A single connection holds a session advisory lock while migrating, so a second process
      // starting at the same time waits and then finds nothing left to apply.
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres({ client: lockClient }), { migrationsFolder: MIGRATIONS_FOLDER });
        await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
    ping: () => ping(db),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), ackPathClient.end({ timeout: 5 })]);
    },
  };
}

// A load balancer's health check should hear "down" before its own timeout, not hang with the connection.
const PING_TIMEOUT_MS = 2000;

async function ping(db: Db): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  const query = db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
