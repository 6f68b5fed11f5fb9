import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { moveLegacyPglite } from './pglite-move.ts';
import * as schema from './schema.ts';

/** One query type for every database: postgres.js on a server or on the embedded server. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /**
   * The same database through a small pool of its own, for the one-row checks made before Slack is
   * acked (replays): they must never queue behind handlers' queries.
   */
  ackPathDb: Db;
  /** 'embedded': the PostgreSQL server this process runs in DATA_DIR; 'postgres': DATABASE_URL. */
  kind: 'embedded' | 'postgres';
  /** Applies the committed migrations in drizzle/; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; used by /healthz. */
  ping(): Promise<boolean>;
  /** Locks that no other process (or other caller here) holds at once, released if this process dies. */
  locks: Locks;
  close(): Promise<void>;
}

export interface Locks {
  /** Takes `name` if nobody holds it; resolves with the function that releases it, or undefined. */
  tryLock(name: string): Promise<(() => Promise<void>) | undefined>;
}

/**
 * Session advisory locks on a connection of their own: PostgreSQL releases them when the session
 * ends, so a process killed mid-send frees what it held at once (no lease to wait out). The set
 * keeps callers in this process apart too, since a session may take its own advisory lock twice.
 */
function createSessionLocks(client: postgres.Sql): Locks & { release(): Promise<void> } {
  const held = new Set<string>();
  let session: Promise<postgres.ReservedSql> | undefined;
  const reserved = () => (session ??= client.reserve());
  return {
    /**
     * Hands the session back to the pool before it ends: the pool waits for a reserved connection
     * until its end timeout (5 s on every stop), and the locks go when the connection closes.
     */
    async release() {
      const current = session;
      session = undefined;
      (await current?.catch(() => undefined))?.release();
    },
    async tryLock(name) {
      if (held.has(name)) return undefined;
      held.add(name);
      try {
        const conn = await reserved();
        const [row] = await conn`select pg_try_advisory_lock(hashtextextended(${name}, 0)) as ok`;
        if (!row?.ok) {
          held.delete(name);
          return undefined;
        }
        return async () => {
          held.delete(name);
          await conn`select pg_advisory_unlock(hashtextextended(${name}, 0))`.catch(() => {
            // The session is gone, and its locks with it.
            session = undefined;
          });
        };
      } catch (error) {
        held.delete(name);
        session = undefined;
        throw error;
      }
    },
  };
}

export { MIGRATIONS_FOLDER };

/** How long one of the app's statements may run (the digest over a million rows takes about half a second). */
export const STATEMENT_TIMEOUT_MS = 10_000;
/** A pooled connection unused this long is closed (its server process ends); the next query opens one. */
const IDLE_CONNECTION_S = 20;
// Any fixed number works: it only has to be the same in every Frontline process.
const MIGRATION_LOCK_KEY = 7_246_001;

/**
 * Opens PostgreSQL at `url`, else starts the embedded server in `dataDir` (moving in the data of
 * the earlier PGlite database, if DATA_DIR holds one) and opens that.
 */
export async function createDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  if (options.url) return openPostgres(options.url, 'postgres');
  const dataDir = resolve(options.dataDir ?? './.data');
  const server = await startEmbeddedPostgres(dataDir);
  const database = openPostgres(server.url, 'embedded', server.stop);
  try {
    await moveLegacyPglite(dataDir, database, server.url);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * Drizzle joins a statement's text from hundreds of pieces, which V8 keeps as a tree of them until
 * something needs the text whole; postgres.js keeps the text of each prepared statement for good
 * (measured: 64,000 pieces over 326 statements). Converting a string to a number flattens it in place.
 */
const flatten = (text: string) => {
  Number(text);
  return text;
};

/**
 * Drizzle sends every query unnamed, so PostgreSQL parses each one afresh, every time: an
 * escalation's forty statements cost the database more to parse than to run. Through this client
 * each query is prepared once per connection (postgres.js keeps them by their text) and then only
 * executed. `?prepare=false` in DATABASE_URL turns it off (PgBouncer in transaction mode needs that).
 */
function preparingQueries(client: postgres.Sql): postgres.Sql {
  // Transactions and savepoints hand drizzle a client of their own: it prepares too.
  const wrapScope =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const work = args.pop() as (scoped: postgres.Sql) => unknown;
      return open(...args, (scoped: postgres.Sql) => work(preparingQueries(scoped)));
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe')
        return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(flatten(query), params, { ...options, prepare: true });
      if (property === 'begin' || property === 'savepoint')
        return wrapScope((Reflect.get(target, property) as (...args: unknown[]) => unknown).bind(target));
      return Reflect.get(target, property, receiver);
    },
  });
}

/** The app's drizzle over a postgres.js pool. */
function drizzleOver(client: postgres.Sql): Db {
  // drizzle reads json and jsonb values itself (and has postgres.js send them as drizzle wrote them):
  // read twice, a stored string that reads as JSON ("-1", the thumbs-down emoji) came back a number.
  client.options.parsers[114] = client.options.parsers[3802] = (value: string) => value;
  return drizzlePostgres({ client, schema }) as unknown as Db;
}

function openPostgres(url: string, kind: Database['kind'], stopServer?: () => Promise<void>): Database {
  const client = postgres(url, {
    max: 10,
    // A burst opens up to ten connections, each a server process; an idle app hands them back
    // (the ack path's two stay open: a request after a quiet spell does not wait for a new one).
    idle_timeout: IDLE_CONNECTION_S,
    onnotice: () => {},
    connect_timeout: 10,
    connection: {
      // A statement stuck behind a lock or a slow disk fails after a while rather than hanging its request.
      statement_timeout: STATEMENT_TIMEOUT_MS,
      // Prepared queries are still planned for their values each time: a plan made once for any
      // value is far slower for some (measured: feedback's statements took 6x the database's time).
      plan_cache_mode: 'force_custom_plan',
    },
  });
  const db = drizzleOver(preparingQueries(client));
  const ackPathClient = postgres(url, {
    max: 2,
    onnotice: () => {},
    connect_timeout: 10,
    // The ack waits on these writes (replay fingerprints), not on their flush to disk: a database crash
    // may lose the last fraction of a second of them, which only reopens that moment to a replay.
    connection: { synchronous_commit: 'off' },
  });
  const locks = createSessionLocks(client);
  return {
    db,
    ackPathDb: drizzleOver(preparingQueries(ackPathClient)),
    kind,
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
    locks,
    close: async () => {
      try {
        await locks.release();
        await Promise.all([client.end({ timeout: 5 }), ackPathClient.end({ timeout: 5 })]);
      } finally {
        await stopServer?.();
      }
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
